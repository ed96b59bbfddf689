import type { Resource } from '@medplum/fhirtypes';
import type { FhirClient } from './fhirClient';
import { fhirResourceSchema } from './fhirClient';

/**
 * The matches of one search, across its pages, bounded: small look-ups that security and
 * sign-in need (a Practitioner and their roles, this laptop's Device). Entries that are not
 * matches (includes, outcomes) or not even a FHIR resource are left out; the caller checks the
 * fields it relies on. Throws FhirClientError (offline, auth, server-error, bad-data).
 */
export async function searchMatches<T extends Resource>(client: FhirClient, query: string, resourceType: T['resourceType'], maxPages = 5): Promise<T[]> {
  const found: T[] = [];
  let next: string | null = query;
  for (let pages = 0; next && pages < maxPages; pages++) {
    const page = await client.page(next);
    for (const entry of page.entries) {
      if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
      const checked = fhirResourceSchema.safeParse(entry.resource);
      if (checked.success && checked.data.resourceType === resourceType) found.push(checked.data as unknown as T);
    }
    next = page.nextUrl;
  }
  return found;
}
