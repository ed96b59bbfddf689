import { SYSTEMS } from '../core/fhirCodes';
import { type FhirClient, FhirClientError } from './fhirClient';
import { validateIncoming } from './resourceSchemas';

/**
 * An exact NHS number matches one person; a few more means duplicate records on the central
 * record, which the user must see. More than this on one page is a data problem we do not page through.
 */
export const ONLINE_SEARCH_MAX_MATCHES = 20;

/**
 * Scope 3, the search itself: the ids of the central record's Patients holding exactly this NHS
 * number. Each entry is validated like any incoming resource (zod, resourceSchemas.ts) and must
 * carry the number under the NHS number system: a server that matches loosely (value alone, other
 * systems) must not put a stranger's record on the device. Nothing is cached here: the caller
 * holds the ids (holdForSearch) and the next run brings each patient whole, safety tier first.
 *
 * Throws FhirClientError only (offline, auth, server-error, bad-data); its messages carry no PHI.
 */
export async function findPatientIdsByNhsNumber(client: FhirClient, nhsNumber: string): Promise<string[]> {
  if (!/^\d{10}$/.test(nhsNumber)) throw new RangeError('an NHS number has 10 digits');
  const query = `Patient?identifier=${encodeURIComponent(`${SYSTEMS.nhsNumber}|${nhsNumber}`)}&_count=${ONLINE_SEARCH_MAX_MATCHES}`;
  const page = await client.page(query);
  const ids: string[] = [];
  let unreadable = 0;
  for (const entry of page.entries) {
    // OperationOutcome entries (search.mode "outcome") and includes are not matches.
    if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
    const checked = validateIncoming(entry.resource, client.baseUrl);
    if (!checked.isValid) {
      if (checked.resourceType === 'Patient' || checked.resourceType === '') unreadable++;
      continue;
    }
    const patient = checked.resource as typeof checked.resource & { identifier?: ReadonlyArray<{ system?: unknown; value?: unknown }> };
    if (patient.resourceType !== 'Patient') continue;
    const hasNumber = Array.isArray(patient.identifier) && patient.identifier.some((i) => i?.system === SYSTEMS.nhsNumber && i?.value === nhsNumber);
    if (hasNumber && !ids.includes(patient.id)) ids.push(patient.id);
  }
  // Matches the central record holds but we cannot read: "not found" would be untrue, so say so.
  if (ids.length === 0 && unreadable > 0) throw new FhirClientError('bad-data', null);
  return ids;
}
