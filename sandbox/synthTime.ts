/**
 * The fixed instant the synthetic record is "as of". Seeded meta.lastUpdated values count up
 * from here and every clinical date lies before it, so a seed is reproducible to the
 * millisecond while later edits over HTTP (real clock) always sort after the seed.
 */
export const SEED_EPOCH_MS = Date.UTC(2026, 5, 1); // 2026-06-01T00:00:00.000Z

/** Spacing between the seeded lastUpdated values, so every seeded resource has its own instant. */
export const SEED_STEP_MS = 1000;

const DAY_MS = 86_400_000;

/** ISO instant for milliseconds since the Unix epoch. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO date (YYYY-MM-DD) that many days before the seed epoch. */
export function isoDateDaysAgo(days: number): string {
  return isoInstant(SEED_EPOCH_MS - days * DAY_MS).slice(0, 10);
}

/** ISO instant that many minutes before the seed epoch. */
export function isoInstantMinutesAgo(minutes: number): string {
  return isoInstant(SEED_EPOCH_MS - minutes * 60_000);
}

/** ISO instant that many days (plus an offset in minutes) before the seed epoch. */
export function isoInstantDaysAgo(days: number, minutes = 0): string {
  return isoInstant(SEED_EPOCH_MS - days * DAY_MS - minutes * 60_000);
}

/** Birth date for an age in years and an extra day offset, as of the seed epoch. */
export function birthDateForAge(years: number, extraDays: number): string {
  const d = new Date(SEED_EPOCH_MS);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return isoInstant(d.getTime() - extraDays * DAY_MS).slice(0, 10);
}
