import { badRequest, type Filter, matchesSearchRequest, OperationOutcomeError, type SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { parseDateInterval, rangeForPrefix } from './dateRange';
import { compareKey, type Entry, isLive, type IndexStore, type TypeIndex } from './indexStore';
import { type IndexedCode, INDEXED_CODES } from './paramIndex';

/** Page size when the client gives no _count, and the most we return in one page. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

export function pageSize(req: SearchRequest): number {
  return Math.min(Math.max(req.count ?? DEFAULT_COUNT, 0), MAX_COUNT);
}

/** A search the indexes can answer: candidates, a lastUpdated range, and what Medplum must still check. */
export type IndexPlan = Readonly<{
  ids: ReadonlySet<string> | undefined;
  startMs: number;
  endMs: number;
  residual: readonly Filter[];
  isDescending: boolean;
}>;

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a) return b;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  return new Set([...small].filter((id) => big.has(id)));
}

function idsForKeys(t: TypeIndex, code: IndexedCode, keys: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const key of keys) for (const id of t.idsFor(code, key) ?? []) out.add(id);
  return out;
}

function isIndexedCode(code: string): code is IndexedCode {
  return (INDEXED_CODES as readonly string[]).includes(code);
}

/**
 * Decides whether the indexes can answer a search; undefined means "ask Medplum". Filters the
 * index cannot evaluate exactly stay as residual filters checked by Medplum's own matcher.
 */
export function planIndexedSearch(store: IndexStore, req: SearchRequest, baseUrl: string): IndexPlan | undefined {
  if (req.types?.length || req.summary || req.fields?.length) return undefined;
  const sort = req.sortRules ?? [];
  if (sort.length > 1 || (sort[0] && sort[0].code !== '_lastUpdated')) return undefined;
  const t = store.type(req.resourceType);
  let ids: ReadonlySet<string> | undefined;
  let startMs = -Infinity;
  let endMs = Infinity;
  const residual: Filter[] = [];
  for (const f of req.filters ?? []) {
    if (f.code.includes('.') || f.code.includes(':')) return undefined; // chains and _has
    if (f.code === '_lastUpdated') {
      const interval = parseDateInterval(f.value);
      if (!interval) throw new OperationOutcomeError(badRequest(`Invalid _lastUpdated value: ${f.value}`, '_lastUpdated'));
      const range = rangeForPrefix(f.operator, interval);
      if (!range) residual.push(f);
      else {
        startMs = Math.max(startMs, range.startMs);
        endMs = Math.min(endMs, range.endMs);
      }
    } else if (f.code === '_id' && f.operator === 'eq') {
      ids = intersect(ids, new Set(f.value.split(',')));
    } else if (isIndexedCode(f.code) && f.operator === 'eq') {
      const keys = store.extractors.queryKeys(req.resourceType, f.code, f.value, baseUrl);
      if (keys) ids = intersect(ids, idsForKeys(t, f.code, keys));
      else residual.push(f);
    } else residual.push(f);
  }
  const isBounded = ids !== undefined || startMs > -Infinity || endMs < Infinity;
  if (residual.length > 0 && !isBounded) return undefined; // a full scan: Medplum does that as well as we would
  return { ids, startMs, endMs, residual, isDescending: sort[0]?.descending ?? false };
}

export type Cursor = Readonly<{ ms: number; id: string }>;

/** Cursors are "lastUpdatedMs_id" of the last entry returned: stable while others write. */
export function formatCursor(e: Entry): string {
  return `${e.latest.lastUpdatedMs}_${e.id}`;
}

export function parseCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  const m = /^(-?\d+)_([A-Za-z0-9\-.]{1,64})$/.exec(value);
  if (!m) throw new OperationOutcomeError(badRequest('Invalid _cursor', '_cursor'));
  return { ms: Number(m[1]), id: m[2] as string };
}

function* candidates(t: TypeIndex, plan: IndexPlan, cursor: Cursor | undefined): Generator<Entry> {
  const inRange = (e: Entry): boolean => e.latest.lastUpdatedMs >= plan.startMs && e.latest.lastUpdatedMs < plan.endMs;
  const sign = plan.isDescending ? -1 : 1;
  const afterCursor = (e: Entry): boolean => !cursor || sign * compareKey(e.latest.lastUpdatedMs, e.id, cursor.ms, cursor.id) > 0;
  if (plan.ids) {
    const list = [...plan.ids].map((id) => t.byId.get(id)).filter((e): e is Entry => isLive(e) && inRange(e) && afterCursor(e));
    list.sort((a, b) => sign * compareKey(a.latest.lastUpdatedMs, a.id, b.latest.lastUpdatedMs, b.id));
    yield* list;
    return;
  }
  const { sorted } = t;
  if (!plan.isDescending) {
    let i = t.lowerBound(plan.startMs, '');
    if (cursor) i = Math.max(i, t.lowerBound(cursor.ms, cursor.id));
    for (; i < sorted.length; i++) {
      const e = sorted[i] as Entry;
      if (e.latest.lastUpdatedMs >= plan.endMs) return;
      if (afterCursor(e)) yield e;
    }
    return;
  }
  let i = t.lowerBound(plan.endMs, '') - 1;
  if (cursor) i = Math.min(i, t.lowerBound(cursor.ms, cursor.id) - 1);
  for (; i >= 0; i--) {
    const e = sorted[i] as Entry;
    if (e.latest.lastUpdatedMs < plan.startMs) return;
    yield e;
  }
}

export type IndexedPage = Readonly<{ resources: Resource[]; total: number | undefined; nextCursor: string | undefined }>;

function countAll(t: TypeIndex, plan: IndexPlan, matches: (e: Entry) => boolean): number {
  if (plan.residual.length === 0 && !plan.ids) return Math.max(0, t.lowerBound(plan.endMs, '') - t.lowerBound(plan.startMs, ''));
  let n = 0;
  for (const e of candidates(t, plan, undefined)) if (matches(e)) n++;
  return n;
}

/** Runs a planned search: one page in (lastUpdated, id) order, a cursor for the next, the total where cheap. */
export function runIndexedSearch(store: IndexStore, req: SearchRequest, plan: IndexPlan): IndexedPage {
  const t = store.type(req.resourceType);
  const count = pageSize(req);
  const residualReq: SearchRequest = { resourceType: req.resourceType, filters: [...plan.residual] };
  const parsed = new Map<Entry, Resource>();
  const parse = (e: Entry): Resource => {
    let r = parsed.get(e);
    if (!r) parsed.set(e, (r = JSON.parse(e.latest.json ?? 'null') as Resource));
    return r;
  };
  const matches = (e: Entry): boolean => plan.residual.length === 0 || matchesSearchRequest(parse(e), residualReq);
  let toSkip = req.offset ?? 0;
  const page: Entry[] = [];
  let hasMore = false;
  for (const e of candidates(t, plan, parseCursor(req.cursor))) {
    if (!matches(e)) continue;
    if (toSkip > 0) {
      toSkip--;
      continue;
    }
    if (page.length >= count) {
      hasMore = true;
      break;
    }
    page.push(e);
  }
  const isTotalCheap = plan.residual.length === 0 || req.total === 'accurate';
  const last = page.at(-1);
  return {
    resources: page.map(parse),
    total: isTotalCheap ? countAll(t, plan, matches) : undefined,
    nextCursor: hasMore && last ? formatCursor(last) : undefined,
  };
}
