/**
 * Refused sign-in attempts that a flood could repeat without end (a PIN tried during the back-off
 * wait, ids that match nobody): each is recorded, but at most one entry per kind and user per
 * window, carrying how many were refused since the last entry, so guessing cannot fill the disk
 * and the count still reaches the review (issue #10).
 */
export type RefusalRecorder = Readonly<{
  /** Returns the count to record now (this attempt plus those held back), or null to hold it back. */
  take(key: string, now: Date): number | null;
}>;

const MAX_KEYS = 1_000;

export function createRefusalRecorder(windowMs = 60_000): RefusalRecorder {
  const pending = new Map<string, { lastAt: number; held: number }>();
  return {
    take(key, now) {
      const at = now.getTime();
      const state = pending.get(key);
      if (state && at - state.lastAt < windowMs && at >= state.lastAt) {
        state.held++;
        return null;
      }
      const count = (state?.held ?? 0) + 1;
      if (!state && pending.size >= MAX_KEYS) pending.delete(pending.keys().next().value as string);
      pending.set(key, { lastAt: at, held: 0 });
      return count;
    },
  };
}
