/**
 * Server time for meta.lastUpdated. It is the real clock, as Medplum uses, but never repeats or
 * goes backwards: each write gets a later millisecond than the last, so (lastUpdated, id)
 * cursors and `_since` never skip a write made in the same millisecond or across a clock step.
 */
export type Clock = Readonly<{ nextMs: () => number; observe: (ms: number) => void }>;

export function createMonotonicClock(now: () => number = Date.now): Clock {
  let lastMs = -Infinity;
  return {
    nextMs: () => {
      lastMs = Math.max(now(), lastMs + 1);
      return lastMs;
    },
    observe: (ms) => {
      lastMs = Math.max(lastMs, ms);
    },
  };
}
