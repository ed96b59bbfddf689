import { formatSearchQuery, type SearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { pageSize } from './indexedSearch';

/** Absolute URL of a resource on this server (Bundle.entry.fullUrl). */
export function fullUrl(baseUrl: string, resourceType: string, id: string | undefined): string {
  return `${baseUrl}/${resourceType}/${id ?? ''}`;
}

/** The search URL for a request, so `self` and `next` links round-trip every parameter. */
export function searchUrl(baseUrl: string, req: SearchRequest, changes: Partial<SearchRequest>): string {
  const next: SearchRequest = { ...req, count: pageSize(req), ...changes };
  return `${baseUrl}/${req.resourceType}${formatSearchQuery(next)}`;
}

/** Assembles a searchset Bundle with fullUrls and paging links. */
export function searchset(
  baseUrl: string,
  req: SearchRequest,
  matches: readonly Resource[],
  extra: readonly BundleEntry[],
  total: number | undefined,
  next: Partial<SearchRequest> | undefined,
): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: searchUrl(baseUrl, req, {}) }];
  if (next) link.push({ relation: 'next', url: searchUrl(baseUrl, req, next) });
  const entry: BundleEntry[] = matches.map((resource) => ({
    fullUrl: fullUrl(baseUrl, resource.resourceType, resource.id),
    search: { mode: 'match' },
    resource,
  }));
  entry.push(...extra);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link,
    ...(entry.length ? { entry } : {}),
  };
}
