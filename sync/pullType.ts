import { patientIdOf } from '../core/patientLink';
import { quarantineKey, resourceKey } from '../db/resourceRepo';
import { type Cursor, advance, parseCursor, sinceParam } from './checkpoint';
import type { BundlePage, FhirResource } from './fhirClient';
import { type Validated, validateIncoming } from './resourceSchemas';
import { type SyncContext, historyKey } from './syncContext';

export type StoredResource = Extract<Validated, { isValid: true }>['resource'];

/** Sets one malformed resource aside with its issue paths (LESSONS: one bad resource must not stop the rest). */
export async function quarantineIncoming(ctx: SyncContext, bad: Extract<Validated, { isValid: false }>): Promise<void> {
  ctx.stats.quarantined++;
  const at = ctx.serverNow();
  await ctx.issues.put({
    key: quarantineKey(resourceKey(bad.resourceType, bad.id || 'unknown')),
    kind: 'quarantined-in',
    state: 'open',
    at,
    resourceType: bad.resourceType,
    resourceId: bad.id,
    patientId: bad.patientId,
    reason: bad.issues.slice(0, 500),
    local: null,
    server: null,
    count: 1,
  });
}

type SplitPage = { matches: StoredResource[]; included: StoredResource[] };

export async function validateEntries(ctx: SyncContext, entries: readonly { resource?: unknown; search?: { mode?: string } }[]): Promise<SplitPage> {
  const out: SplitPage = { matches: [], included: [] };
  for (const entry of entries) {
    if (entry.resource === undefined || entry.search?.mode === 'outcome') continue;
    const checked = validateIncoming(entry.resource, ctx.client.baseUrl);
    if (!checked.isValid) await quarantineIncoming(ctx, checked);
    else (entry.search?.mode === 'include' ? out.included : out.matches).push(checked.resource);
  }
  return out;
}

const stampOf = (r: StoredResource) => ({ at: r.meta.lastUpdated, key: `${r.id}@${r.meta.versionId ?? ''}` });

export type CursorPullSpec = Readonly<{
  /** Checkpoint key in syncstate. */
  key: string;
  /** The first URL for a cursor: the search with `_lastUpdated=ge`, `_sort=_lastUpdated` and `_count`. */
  url: (cursor: Cursor | null) => string;
  label: string;
  /** Stores one page (and whatever membership it changes); runs before the checkpoint moves. */
  onPage: (fresh: readonly StoredResource[], included: readonly StoredResource[]) => Promise<void>;
}>;

/**
 * A checkpointed search, page by page: each page is stored, then its cursor saved, so a drop or
 * a crash resumes at the last committed page (LESSONS: CHT #7528 restarted from zero). A crash
 * between the two writes re-applies one page on resume, which is idempotent.
 */
export async function pullWithCursor(ctx: SyncContext, spec: CursorPullSpec): Promise<void> {
  let cursor = parseCursor(await ctx.state.get(spec.key));
  let pending: Promise<BundlePage> | null = ctx.client.page(spec.url(cursor));
  let received = 0;
  while (pending) {
    const page: BundlePage = await pending;
    // Ask for the next page while this one is validated and committed: the network and the server
    // work while we write. Commits stay in order, so the checkpoint still only moves page by page.
    pending = page.nextUrl ? ctx.client.page(page.nextUrl) : null;
    pending?.catch(() => undefined); // awaited on the next turn; a failure then ends the run there
    ctx.noteServerTime(page.serverTime);
    const { matches, included } = await validateEntries(ctx, page.entries);
    const step = advance(cursor, matches.map(stampOf));
    await spec.onPage(matches.filter((_, i) => step.isFresh[i]), included);
    if (step.next && step.next !== cursor) {
      await ctx.state.put(spec.key, step.next);
      ctx.checkpoints.add(spec.key);
    }
    cursor = step.next;
    received += matches.length;
    ctx.stats.pages++;
    ctx.stats.resources += matches.length - step.duplicates;
    ctx.stats.duplicates += step.duplicates;
    ctx.progress.detail(page.total === null ? `${spec.label}: ${received} so far` : `${spec.label}: ${Math.min(received, page.total)} of ${page.total}`);
  }
}

/** The search parameter that selects resources of a type by patient. */
export const patientParam = (type: string) => (type === 'Patient' ? '_id' : 'patient');

/**
 * Fetches one type whole for patients that joined a scope after that type's checkpoint began
 * (their older resources lie behind the cursor), in chunks short enough for a URL.
 */
export async function catchUp(
  ctx: SyncContext,
  type: string,
  patientIds: readonly string[],
  onChunk: (resources: readonly StoredResource[], chunk: readonly string[], included: readonly StoredResource[]) => Promise<void>,
  extraParams = '',
): Promise<void> {
  for (let i = 0; i < patientIds.length; i += 50) {
    const chunk = patientIds.slice(i, i + 50);
    const wanted = new Set(chunk);
    const stored: StoredResource[] = [];
    const included: StoredResource[] = [];
    let url: string | null = `${type}?${patientParam(type)}=${chunk.map(encodeURIComponent).join(',')}&_count=${ctx.pageSize}${extraParams}`;
    while (url) {
      const page = await ctx.client.page(url);
      ctx.noteServerTime(page.serverTime);
      const split = await validateEntries(ctx, page.entries);
      stored.push(...split.matches.filter((r) => wanted.has(patientIdOf(r))));
      included.push(...split.included);
      ctx.stats.pages++;
      url = page.nextUrl;
    }
    ctx.stats.resources += stored.length;
    await onChunk(stored, chunk, included);
  }
}

export type Deletion = Readonly<{ resourceType: string; id: string; deletedAtMs: number }>;

/**
 * Deletions are invisible to `_lastUpdated` searches, so they come from the type's history
 * (https://hl7.org/fhir/R4/http.html#history), read oldest first from a checkpoint of its own.
 */
export async function pullDeletions(ctx: SyncContext, type: string, onDeleted: (deletion: Deletion) => Promise<void>): Promise<void> {
  const key = historyKey(type);
  let cursor = parseCursor(await ctx.state.get(key));
  if (!cursor) return; // set at the start of the run that first pulls the type
  let url: string | null = `${type}/_history?_since=${encodeURIComponent(cursor.at)}&_sort=_lastUpdated&_count=${ctx.pageSize}`;
  while (url) {
    const page = await ctx.client.page(url);
    ctx.noteServerTime(page.serverTime);
    const items = page.entries.map((e) => ({ at: e.response?.lastModified ?? '', key: `${e.request?.url ?? e.fullUrl ?? ''}@${e.response?.etag ?? ''}` }));
    const step = advance(cursor, items);
    for (const [i, entry] of page.entries.entries()) {
      const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(entry.request?.url ?? '');
      if (!step.isFresh[i] || entry.request?.method !== 'DELETE' || !match || match[1] !== type) continue;
      await onDeleted({ resourceType: type, id: match[2] as string, deletedAtMs: Date.parse(items[i]?.at ?? '') || Date.parse(page.serverTime) });
    }
    if (step.next && step.next !== cursor) await ctx.state.put(key, step.next);
    cursor = step.next;
    ctx.stats.pages++;
    url = page.nextUrl;
  }
}

/** Starts each type's history checkpoint just before its first pull, so no deletion after it is missed. */
export async function ensureHistoryCursors(ctx: SyncContext, types: readonly string[], runStartServerTime: string): Promise<void> {
  // The HTTP Date header has one-second resolution: step back two so nothing slips between.
  const startMs = Date.parse(runStartServerTime) - 2000;
  const start = { at: new Date(startMs).toISOString(), ms: startMs, seen: [] };
  for (const type of types) {
    if (!(await ctx.state.get(historyKey(type)))) await ctx.state.put(historyKey(type), start);
  }
}

export const searchUrl = (type: string, filter: string, cursor: Cursor | null, pageSize: number, extra = ''): string =>
  `${type}?${filter ? `${filter}&` : ''}_sort=_lastUpdated&_count=${pageSize}${sinceParam(cursor)}${extra}`;

export type { FhirResource };
