import { patientIdOf } from '../core/patientLink';
import { quarantineKey, resourceKey } from '../db/resourceRepo';
import { type Cursor, advance, parseCursor, sinceParam } from './checkpoint';
import type { BundleEntryIn, BundlePage, FhirResource } from './fhirClient';
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

type HistoryItem = Readonly<{ id: string; version: number; isDelete: boolean; atMs: number; key: string }>;

/**
 * One history entry as servers actually send it. `request.url` is `Type/id` on the sandbox and
 * `Type/id/_history/n` on HAPI; the version comes from the etag (`W/"3"`), else that URL. HAPI's
 * history entries carry no `response.lastModified`, so a deletion's time is bounded by the answer's
 * own (one-second) Date header instead.
 */
function historyItem(type: string, entry: BundleEntryIn, pageTimeMs: number): HistoryItem | null {
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/(\d+))?$/.exec(entry.request?.url ?? '');
  if (!match || match[1] !== type) return null;
  const version = Number(/(\d+)"?$/.exec(entry.response?.etag ?? '')?.[1] ?? match[3] ?? 0);
  const at = Date.parse(entry.response?.lastModified ?? (entry.resource as { meta?: { lastUpdated?: string } } | undefined)?.meta?.lastUpdated ?? '');
  const id = match[2] as string;
  return { id, version, isDelete: entry.request?.method === 'DELETE', atMs: Number.isFinite(at) ? at : pageTimeMs + 999, key: `${type}/${id}@${version}` };
}

/**
 * Deletions are invisible to `_lastUpdated` searches, so they come from the type's history
 * (https://hl7.org/fhir/R4/http.html#history) since a checkpoint of its own. Servers differ in
 * order (R4 history is newest first; `_sort` there is an R5 addition HAPI ignores) and page by
 * offset, so the read is taken whole, each resource judged by its highest version (a resource
 * re-created after its deletion stays), and the checkpoint moves only once the read completed:
 * to just before the first answer, remembering the deletions applied so none is applied twice.
 */
export async function pullDeletions(ctx: SyncContext, type: string, onDeleted: (deletion: Deletion) => Promise<void>): Promise<void> {
  const key = historyKey(type);
  const cursor = parseCursor(await ctx.state.get(key));
  if (!cursor) return; // set at the start of the run that first pulls the type
  const newest = new Map<string, HistoryItem>();
  let firstAnswerMs: number | null = null;
  let url: string | null = `${type}/_history?_since=${encodeURIComponent(cursor.at)}&_count=${ctx.pageSize}`;
  while (url) {
    const page = await ctx.client.page(url);
    ctx.noteServerTime(page.serverTime);
    const pageMs = Date.parse(page.serverTime) || Date.now();
    firstAnswerMs ??= pageMs;
    for (const entry of page.entries) {
      const item = historyItem(type, entry, pageMs);
      const known = item && newest.get(item.id);
      if (item && (!known || item.version > known.version)) newest.set(item.id, item);
    }
    ctx.stats.pages++;
    url = page.nextUrl;
  }
  const seen = new Set(cursor.seen);
  const applied: string[] = [];
  for (const item of newest.values()) {
    if (!item.isDelete || seen.has(item.key)) continue;
    await onDeleted({ resourceType: type, id: item.id, deletedAtMs: item.atMs });
    applied.push(item.key);
  }
  // The HTTP Date header has one-second resolution: step back two so nothing slips between.
  const nextMs = Math.max(cursor.ms, (firstAnswerMs ?? cursor.ms) - 2000);
  const keep = nextMs === cursor.ms ? [...cursor.seen, ...applied] : [...applied, ...[...newest.values()].filter((i) => i.isDelete && seen.has(i.key)).map((i) => i.key)];
  await ctx.state.put(key, { at: new Date(nextMs).toISOString(), ms: nextMs, seen: [...new Set(keep)].slice(-5000) });
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
