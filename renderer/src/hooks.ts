/** Small React hooks shared by the screens. */
import { useEffect, useRef, useState, type RefObject } from 'react';

/** The current time, refreshed on an interval so relative times ("3 minutes ago") stay true. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Moves keyboard and screen-reader focus to the element when it mounts (the h1 of a new screen,
 * an error summary), so a screen change is announced and Tab starts from the top of the content.
 */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
