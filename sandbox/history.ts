import { badRequest, OperationOutcomeError } from '@medplum/core';
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { parseDateInterval } from './dateRange';
import { DEFAULT_COUNT, MAX_COUNT } from './indexedSearch';
import { type TypeIndex, type Version } from './indexStore';
import { fullUrl } from './searchBundle';

/**
 * One history entry. Deletions carry request.method DELETE and no resource, so a client that
 * follows a type's history learns about deleted resources (https://hl7.org/fhir/R4/http.html#history).
 */
export function historyEntry(baseUrl: string, v: Version): BundleEntry {
  const isCreate = v.method === 'POST' || (v.versionId === 1 && v.method !== 'DELETE');
  const entry: BundleEntry = {
    fullUrl: fullUrl(baseUrl, v.resourceType, v.id),
    request: { method: v.method, url: v.method === 'POST' ? v.resourceType : `${v.resourceType}/${v.id}` },
    response: {
      status: v.method === 'DELETE' ? '204' : isCreate ? '201' : '200',
      etag: `W/"${v.versionId}"`,
      lastModified: new Date(v.lastUpdatedMs).toISOString(),
    },
  };
  if (v.json) entry.resource = JSON.parse(v.json) as Resource;
  return entry;
}

export type TypeHistoryQuery = Readonly<{ sinceMs: number; count: number; cursor: number | undefined }>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}

function nonNegativeInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new OperationOutcomeError(badRequest(`Invalid ${name}`, name));
  return Number(value);
}

/**
 * Reads `_since`, `_count` and `_cursor` of a type history request. History is newest first, as
 * R4 defines it (https://hl7.org/fhir/R4/http.html#history); `_sort` is ignored, as HAPI FHIR JPA
 * ignores it (issue #17): it is an R5 addition, and a sandbox that honoured it let the client
 * depend on an order a production server does not give.
 */
export function parseTypeHistoryQuery(query: Record<string, string | string[] | undefined>): TypeHistoryQuery {
  const since = single(query._since);
  const interval = since === undefined ? undefined : parseDateInterval(since);
  if (since !== undefined && !interval) throw new OperationOutcomeError(badRequest('Invalid _since', '_since'));
  return {
    sinceMs: interval?.startMs ?? -Infinity,
    count: Math.min(nonNegativeInt(single(query._count), '_count') ?? DEFAULT_COUNT, MAX_COUNT),
    cursor: nonNegativeInt(single(query._cursor), '_cursor'),
  };
}

function historyUrl(baseUrl: string, resourceType: string, q: TypeHistoryQuery, cursor: number | undefined): string {
  const params = new URLSearchParams();
  if (q.sinceMs > -Infinity) params.set('_since', new Date(q.sinceMs).toISOString());
  params.set('_count', String(q.count));
  if (cursor !== undefined) params.set('_cursor', String(cursor));
  return `${baseUrl}/${resourceType}/_history?${params.toString()}`;
}

/** A page of a type's history. The cursor is a position in the append-only log, so pages never shift. */
export function typeHistoryBundle(baseUrl: string, resourceType: string, t: TypeIndex, q: TypeHistoryQuery): Bundle {
  const lo = t.logLowerBound(q.sinceMs);
  // Newest first: pages walk back from the end of the log, so new writes never shift them.
  const end = Math.min(t.log.length, q.cursor ?? t.log.length);
  const start = Math.max(lo, end - q.count);
  const slice = t.log.slice(start, Math.max(start, end)).reverse();
  const nextCursor = start > lo ? start : undefined;
  const link: BundleLink[] = [{ relation: 'self', url: historyUrl(baseUrl, resourceType, q, q.cursor) }];
  if (nextCursor !== undefined) link.push({ relation: 'next', url: historyUrl(baseUrl, resourceType, q, nextCursor) });
  const entry = slice.map((v) => historyEntry(baseUrl, v));
  return { resourceType: 'Bundle', type: 'history', total: t.log.length - lo, link, ...(entry.length ? { entry } : {}) };
}

/** Instance history, newest first, with `_offset`/`_count` as Medplum's router passes them. */
export function instanceHistoryBundle(baseUrl: string, versions: readonly Version[], offset = 0, limit = DEFAULT_COUNT): Bundle {
  const newestFirst = [...versions].reverse();
  const entry = newestFirst.slice(offset, offset + Math.min(limit, MAX_COUNT)).map((v) => historyEntry(baseUrl, v));
  return { resourceType: 'Bundle', type: 'history', total: versions.length, ...(entry.length ? { entry } : {}) };
}
