/**
 * Save as entered (issue #12): every change is sent a moment after the crew stops typing, and at
 * once when they leave the field. The status is honest: "Saved" only once main has answered for
 * the latest change; a failed save says why, keeps the entries on screen and retries. Answers
 * never overwrite what is being typed: the screen's own state is the source of its inputs.
 */
import { useEffect, useRef, useState } from 'react';
import { type Result, type TriageView } from '../../contract';
import { clockTime } from './triageText';

export type SaveStatus =
  | Readonly<{ kind: 'saved'; savedAt: string | null }>
  | Readonly<{ kind: 'saving' }>
  | Readonly<{ kind: 'failed'; reason: string }>;

/** The status line under a form, in plain words. */
export function saveStatusText(status: SaveStatus, timeZone?: string): string {
  if (status.kind === 'saving') return 'Saving…';
  if (status.kind === 'failed') return `Not saved: ${status.reason} — your entries are still on screen, retrying`;
  return status.savedAt ? `Saved at ${clockTime(status.savedAt, timeZone)}` : 'Nothing saved yet';
}

/** 1 s, 2 s, 4 s … up to 30 s between retries of a failed save. */
export const retryDelayMs = (attempt: number): number => Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));

export type SaverDeps<T> = Readonly<{
  save: (value: T) => Promise<Result<TriageView>>;
  onStatus: (status: SaveStatus) => void;
  onSaved: (view: TriageView) => void;
  savedAtOf: (view: TriageView) => string | null;
  delayMs: number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}>;

export type Saver<T> = Readonly<{
  change(value: T): void;
  /** Sends anything not yet saved now; true once everything shown is saved. */
  flush(): Promise<boolean>;
  isPending(): boolean;
  /** Stops timers; a change not yet saved is still sent (a screen change must not lose it). */
  dispose(): void;
}>;

/** The save loop without React: one request in flight at a time, the latest value always wins. */
export function createSaver<T>(deps: SaverDeps<T>): Saver<T> {
  let latest: T | undefined;
  let editSeq = 0;
  let savedSeq = 0;
  let attempt = 0;
  let timer: unknown = null;
  let inFlight: Promise<boolean> | null = null;
  let isDisposed = false;

  const cancel = () => {
    if (timer !== null) deps.clearTimer(timer);
    timer = null;
  };
  const schedule = (ms: number) => {
    cancel();
    if (!isDisposed) timer = deps.setTimer(() => void sendOnce(), ms);
  };

  async function send(seq: number, value: T): Promise<boolean> {
    const result = await deps.save(value).catch((): Result<TriageView> => ({ ok: false, error: { code: 'offline', message: 'OnScene could not reach its service' } }));
    if (!result.ok) {
      attempt += 1;
      if (!isDisposed) {
        deps.onStatus({ kind: 'failed', reason: result.error.message });
        schedule(retryDelayMs(attempt));
      }
      return false;
    }
    attempt = 0;
    savedSeq = Math.max(savedSeq, seq);
    deps.onSaved(result.value);
    if (editSeq === savedSeq) {
      if (!isDisposed) deps.onStatus({ kind: 'saved', savedAt: deps.savedAtOf(result.value) });
    } else if (timer === null) schedule(deps.delayMs);
    return true;
  }

  function sendOnce(): Promise<boolean> {
    timer = null;
    // A failed request leaves the retry to its timer; a successful one may have been overtaken by typing.
    if (inFlight) return inFlight.then((ok) => (ok && editSeq !== savedSeq ? sendOnce() : ok));
    if (editSeq === savedSeq || latest === undefined) return Promise.resolve(true);
    const request = send(editSeq, latest).finally(() => {
      inFlight = null;
    });
    inFlight = request;
    return request;
  }

  return {
    change(value) {
      latest = value;
      editSeq += 1;
      deps.onStatus({ kind: 'saving' });
      schedule(deps.delayMs);
    },
    async flush() {
      cancel();
      // A save that fails stops the loop: the caller says so and the retry timer carries on.
      while (editSeq !== savedSeq) if (!(await sendOnce())) return false;
      return true;
    },
    isPending: () => editSeq !== savedSeq,
    dispose() {
      cancel();
      isDisposed = true;
      if (editSeq === savedSeq || latest === undefined) return;
      const [seq, value] = [editSeq, latest];
      void (inFlight ?? Promise.resolve(true)).then(() => (savedSeq < seq ? send(seq, value) : true));
    },
  };
}

type AutosaveOptions<T> = Readonly<{
  initial: T;
  /** When what is on screen was last saved (from the stored draft); null if never. */
  initialSavedAt: string | null;
  save: (value: T) => Promise<Result<TriageView>>;
  onSaved: (view: TriageView) => void;
  savedAtOf: (view: TriageView) => string | null;
  delayMs?: number;
}>;

export type Autosave<T> = Readonly<{
  value: T;
  status: SaveStatus;
  /** Takes the next value, or how to make it from the latest one (two changes in one event both count). */
  change(next: T | ((latest: T) => T)): void;
  flush(): Promise<boolean>;
}>;

/** The saver as a hook: local state for the inputs, the save loop behind it. */
export function useAutosave<T>(options: AutosaveOptions<T>): Autosave<T> {
  const [value, setValue] = useState<T>(options.initial);
  const valueRef = useRef<T>(options.initial);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'saved', savedAt: options.initialSavedAt });
  const latestOptions = useRef(options);
  latestOptions.current = options;
  const saverRef = useRef<Saver<T> | null>(null);

  useEffect(() => {
    const saver = createSaver<T>({
      save: (v) => latestOptions.current.save(v),
      onSaved: (view) => latestOptions.current.onSaved(view),
      savedAtOf: (view) => latestOptions.current.savedAtOf(view),
      onStatus: setStatus,
      delayMs: latestOptions.current.delayMs ?? 400,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    });
    saverRef.current = saver;
    return () => {
      saver.dispose();
      saverRef.current = null;
    };
  }, []);

  return {
    value,
    status,
    change(next) {
      const resolved = typeof next === 'function' ? (next as (latest: T) => T)(valueRef.current) : next;
      valueRef.current = resolved;
      setValue(resolved);
      saverRef.current?.change(resolved);
    },
    flush: () => saverRef.current?.flush() ?? Promise.resolve(true),
  };
}
