import type { Patient } from '@medplum/fhirtypes';
import { SYSTEMS } from '../core/fhirCodes';
import { birthDateRange, normalisePostcode, outwardCode } from '../core/patientSearch';
import type { PatientQuery } from '../core/patientSearchViews';
import { type FhirClient, FhirClientError } from './fhirClient';
import { validateIncoming } from './resourceSchemas';

/** One page of central matches is enough to choose from; more means the query needs narrowing. */
export const CENTRAL_SEARCH_MAX_MATCHES = 20;

/**
 * Issue #13: the same query against the central record's standard FHIR Patient search
 * (https://hl7.org/fhir/R4/patient.html#search): `identifier`, `family`, `given`, `birthdate`,
 * `address-postalcode`. String parameters match the start of the value, case and accent
 * insensitively (FHIR string search), which is what partial names ask for; FHIR has no portable
 * phonetic search, so "sounds like" is local only. A postcode district is sent as a prefix and
 * checked here, since "E1" is also the start of "E10". Nothing is cached: the caller shows the
 * matches as "not on this device yet" and holds the one opened for search (scope 3).
 */
export function centralPatientQuery(query: PatientQuery, now: Date): string {
  const params = new URLSearchParams();
  switch (query.kind) {
    case 'nhs-number':
      params.set('identifier', `${SYSTEMS.nhsNumber}|${query.nhsNumber}`);
      break;
    case 'name-dob':
    case 'name':
      params.set('family', query.family);
      if (query.given) params.set('given', query.given);
      if (query.kind === 'name-dob') params.set('birthdate', query.birthDate);
      break;
    case 'dob-postcode':
      params.set('birthdate', query.birthDate);
      params.set('address-postalcode', query.postcode);
      break;
    case 'postcode-age': {
      const range = birthDateRange(query.ageYears, query.toleranceYears, now);
      params.append('birthdate', `ge${range.from}`);
      params.append('birthdate', `le${range.to}`);
      params.set('address-postalcode', query.postcode);
      break;
    }
  }
  params.set('_count', String(CENTRAL_SEARCH_MAX_MATCHES));
  return `Patient?${params.toString()}`;
}

const postcodesOf = (p: Patient) => (p.address ?? []).map((a) => normalisePostcode(a.postalCode ?? '')).filter((c) => c !== '');

/** A server may match more loosely than asked (a prefix postcode, value-only identifiers): only real matches are kept. */
function isRealMatch(patient: Patient, query: PatientQuery): boolean {
  if (query.kind === 'nhs-number') return Boolean(patient.identifier?.some((i) => i.system === SYSTEMS.nhsNumber && i.value === query.nhsNumber));
  if (query.kind === 'dob-postcode' || query.kind === 'postcode-age') {
    const wanted = normalisePostcode(query.postcode);
    return postcodesOf(patient).some((c) => c === wanted || outwardCode(c) === wanted);
  }
  return true;
}

/**
 * The central record's Patients for this query, each validated like any incoming resource.
 * Callers ask through the engine (SyncEngine.searchPatients), which probes first (3 s, no
 * retries) so a search without signal answers from the device at once and the status strip says
 * offline. Throws FhirClientError only (offline, auth, server-error, bad-data); no PHI in messages.
 */
export async function searchCentralPatients(client: FhirClient, query: PatientQuery, now: Date): Promise<Patient[]> {
  const page = await client.page(centralPatientQuery(query, now));
  const found: Patient[] = [];
  let unreadable = 0;
  for (const entry of page.entries) {
    if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
    const checked = validateIncoming(entry.resource, client.baseUrl);
    if (!checked.isValid) {
      if (checked.resourceType === 'Patient' || checked.resourceType === '') unreadable++;
      continue;
    }
    const patient = checked.resource as unknown as Patient;
    if (patient.resourceType === 'Patient' && isRealMatch(patient, query) && !found.some((p) => p.id === patient.id)) found.push(patient);
  }
  if (found.length === 0 && unreadable > 0) throw new FhirClientError('bad-data', null);
  return found;
}
