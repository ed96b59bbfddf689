import { z } from 'zod';

/**
 * A pull cursor from server time (LESSONS: a timestamp cursor skipped a record, Android FHIR SDK
 * #1148): the newest `meta.lastUpdated` committed, plus the id@version of every resource
 * committed at exactly that instant. The next query asks `_lastUpdated=ge<at>` and drops those,
 * so two resources sharing a millisecond are never skipped and never applied twice.
 */
export const cursorSchema = z.object({ at: z.string(), ms: z.number(), seen: z.array(z.string()) });
export type Cursor = z.infer<typeof cursorSchema>;

/** What the server told us about one item: its instant and an identity that changes with each version. */
export type Stamped = Readonly<{ at: string; key: string }>;

export type Advance = Readonly<{ isFresh: readonly boolean[]; duplicates: number; next: Cursor | null }>;

/**
 * Decides which items of a page (in server order) are new, and the cursor after committing the page.
 * Items without a readable instant are new but do not move the cursor.
 * @example advance(null, [{ at: '2026-06-01T00:00:01Z', key: 'a@1' }]).next // { at: ..., ms: ..., seen: ['a@1'] }
 */
export function advance(cursor: Cursor | null, items: readonly Stamped[]): Advance {
  let next = cursor;
  const seen = new Set(cursor?.seen ?? []);
  let duplicates = 0;
  const isFresh = items.map((item) => {
    const ms = Date.parse(item.at);
    const isDuplicate = cursor !== null && ms === cursor.ms && seen.has(item.key);
    if (isDuplicate) duplicates++;
    if (Number.isFinite(ms)) {
      if (!next || ms > next.ms) next = { at: item.at, ms, seen: [item.key] };
      else if (ms === next.ms && !next.seen.includes(item.key)) next = { ...next, seen: [...next.seen, item.key] };
    }
    return !isDuplicate;
  });
  return { isFresh, duplicates, next };
}

/** The `_lastUpdated` filter for a cursor (R4 search prefixes: https://hl7.org/fhir/R4/search.html#prefix). */
export function sinceParam(cursor: Cursor | null): string {
  return cursor ? `&_lastUpdated=${encodeURIComponent(`ge${cursor.at}`)}` : '';
}

export function parseCursor(value: Record<string, unknown> | null): Cursor | null {
  const parsed = cursorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
