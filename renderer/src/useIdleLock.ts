/** Locks the UI after inactivity (DESIGN §6, issue #4) and tells main the user is still there. */
import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
/** Main judges inactivity too; a heartbeat at most this often (or thrice per idle period) keeps it in step without chatter. */
const HEARTBEAT_EVERY_MS = 20_000;

type Options = Readonly<{
  isActive: boolean;
  idleLockMs: number | null;
  onIdle: () => void;
  onHeartbeat: () => void;
}>;

export function useIdleLock({ isActive, idleLockMs, onIdle, onHeartbeat }: Options): void {
  const callbacks = useRef({ onIdle, onHeartbeat });
  callbacks.current = { onIdle, onHeartbeat };

  useEffect(() => {
    if (!isActive || idleLockMs === null) return;
    let timer = setTimeout(() => callbacks.current.onIdle(), idleLockMs);
    let lastBeat = Date.now();
    const beatEveryMs = Math.min(HEARTBEAT_EVERY_MS, idleLockMs / 3);
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(() => callbacks.current.onIdle(), idleLockMs);
      if (Date.now() - lastBeat >= beatEveryMs) {
        lastBeat = Date.now();
        callbacks.current.onHeartbeat();
      }
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, activity, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, activity, { capture: true });
    };
  }, [isActive, idleLockMs]);
}
