import type { Address, HumanName, Patient } from '@medplum/fhirtypes';
import { SYSTEMS } from './fhirCodes';
import type { PatientQuery } from './patientSearchViews';

/**
 * Finding a patient (issue #13): the pure half. How names and postcodes are normalised for the
 * local index and for a query (the same functions on both sides, so they always agree), what an
 * approximate age means as a range of birth dates, and how matches are ranked and explained.
 * The phonetic keys (Double Metaphone) are computed in db/, the only layer with that package.
 */

/**
 * A name as the index keeps it: NFKD, accents stripped, lower case, letters only.
 * @example normaliseName('  Zoë  O’Brien-Smith ') // 'zoeobriensmith'
 */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

/** Full postcode, or an outward code (district) alone. https://www.gov.uk/government/publications/open-standards-for-government/uk-postcode-standard */
const FULL_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/;
const OUTWARD_CODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/**
 * A postcode without spaces in upper case; '' when it is neither a full postcode nor an outward code.
 * @example normalisePostcode('e8 4qr') // 'E84QR'
 */
export function normalisePostcode(value: string): string {
  const compact = value.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
  return FULL_POSTCODE.test(compact) || OUTWARD_CODE.test(compact) ? compact : '';
}

export const isFullPostcode = (normalised: string): boolean => FULL_POSTCODE.test(normalised);

/**
 * The outward code (district) of a normalised postcode: a full postcode less its last three characters.
 * @example outwardCode('E84QR') // 'E8'
 */
export function outwardCode(normalised: string): string {
  if (FULL_POSTCODE.test(normalised)) return normalised.slice(0, -3);
  return OUTWARD_CODE.test(normalised) ? normalised : '';
}

/** The name the index keeps for a patient: the official one, else the usual, else the first. */
export function indexedName(patient: Patient): HumanName | null {
  const names = patient.name ?? [];
  return names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual') ?? names[0] ?? null;
}

/** The home address, else the first: where "partial address" and the postcode come from. */
export function indexedAddress(patient: Patient): Address | null {
  const addresses = patient.address ?? [];
  return addresses.find((a) => a.use === 'home' && a.period?.end === undefined) ?? addresses[0] ?? null;
}

export const nhsNumberOf = (patient: Patient): string | null =>
  patient.identifier?.find((i) => i.system === SYSTEMS.nhsNumber && i.value?.trim())?.value?.trim().replace(/\s+/g, '') ?? null;

/** True for a Patient created on a device for someone whose identity is not yet known (core/triageFhir.ts). */
export const isUnverifiedIdentity = (patient: Patient): boolean =>
  Boolean(patient.meta?.tag?.some((t) => t.code === 'field-unidentified')) || Boolean(patient.identifier?.some((i) => i.use === 'temp' && i.system?.endsWith('/unidentified-patient')));

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/**
 * Birth dates of someone "about `ageYears`" (± `toleranceYears`) on `at`, as an inclusive range of
 * ISO dates: the oldest is born the day after their (age+tolerance+1)th birthday was due.
 * @example birthDateRange(40, 0, new Date('2026-06-15T00:00:00Z')) // { from: '1985-06-16', to: '1986-06-15' }
 */
export function birthDateRange(ageYears: number, toleranceYears: number, at: Date): Readonly<{ from: string; to: string }> {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  const youngest = new Date(Date.UTC(y - Math.max(0, ageYears - toleranceYears), m, d));
  const oldest = new Date(Date.UTC(y - (ageYears + toleranceYears + 1), m, d + 1));
  return { from: isoDate(oldest), to: isoDate(youngest) };
}

/** How one field of the query matched a patient; absent fields did not match. */
export type FieldMatch = 'exact' | 'prefix' | 'sounds-like' | 'district' | 'in-range';
export type MatchedFields = Readonly<Partial<Record<'nhsNumber' | 'family' | 'given' | 'birthDate' | 'postcode' | 'age', FieldMatch>>>;

/** What the index holds of one patient, enough to match and explain without reading the resource. */
export type IndexedPatient = Readonly<{
  patientId: string;
  nhsNumber: string | null;
  familyNorm: string;
  givenNorm: string;
  familyPhonetic: readonly string[];
  givenPhonetic: readonly string[];
  birthDate: string | null;
  postcodeNorm: string;
  postcodeOutward: string;
}>;

/** The query as normalised for matching, with its phonetic keys (computed by the caller in db/). */
export type PreparedQuery = Readonly<{
  query: PatientQuery;
  family: string;
  given: string;
  familyPhonetic: readonly string[];
  givenPhonetic: readonly string[];
  postcode: string;
  birthRange: Readonly<{ from: string; to: string }> | null;
}>;

const sounds = (a: readonly string[], b: readonly string[]) => a.some((code) => code !== '' && b.includes(code));

function nameMatch(stored: string, storedPhonetic: readonly string[], wanted: string, wantedPhonetic: readonly string[], isPartial: boolean): FieldMatch | null {
  if (wanted === '') return null;
  if (stored === wanted) return 'exact';
  if (isPartial && stored.startsWith(wanted)) return 'prefix';
  return sounds(storedPhonetic, wantedPhonetic) ? 'sounds-like' : null;
}

/** Which fields of the query a patient matches (only those the query names). */
export function matchFields(p: IndexedPatient, q: PreparedQuery): MatchedFields {
  const out: { -readonly [K in keyof MatchedFields]: MatchedFields[K] } = {};
  const query = q.query;
  if (query.kind === 'nhs-number') {
    if (p.nhsNumber === query.nhsNumber) out.nhsNumber = 'exact';
    return out;
  }
  const isPartial = query.kind === 'name';
  const family = nameMatch(p.familyNorm, p.familyPhonetic, q.family, q.familyPhonetic, isPartial || query.kind === 'name-dob');
  if (family) out.family = family;
  const given = nameMatch(p.givenNorm, p.givenPhonetic, q.given, q.givenPhonetic, true);
  if (given) out.given = given;
  if ((query.kind === 'name-dob' || query.kind === 'dob-postcode') && p.birthDate === query.birthDate) out.birthDate = 'exact';
  if (q.postcode !== '') {
    if (p.postcodeNorm !== '' && p.postcodeNorm === q.postcode) out.postcode = 'exact';
    else if (p.postcodeOutward !== '' && p.postcodeOutward === outwardCode(q.postcode)) out.postcode = 'district';
  }
  if (q.birthRange && p.birthDate && p.birthDate.length === 10 && p.birthDate >= q.birthRange.from && p.birthDate <= q.birthRange.to) out.age = 'in-range';
  return out;
}

const QUALITY: Readonly<Record<FieldMatch, number>> = { exact: 3, 'in-range': 3, district: 2, prefix: 2, 'sounds-like': 1 };

/** Ranking: more fields matched first, then better matches (exact over prefix over sounds-like). */
export function matchScore(fields: MatchedFields): Readonly<{ count: number; quality: number }> {
  const values = Object.values(fields).filter((v): v is FieldMatch => v !== undefined);
  return { count: values.length, quality: values.reduce((sum, v) => sum + QUALITY[v], 0) };
}

/** Whether a candidate the SQL found is a match the query asked for (the SQL may over-fetch, never under-fetch). */
export function isWanted(fields: MatchedFields, query: PatientQuery): boolean {
  switch (query.kind) {
    case 'nhs-number':
      return fields.nhsNumber !== undefined;
    case 'name-dob':
      return fields.family !== undefined && fields.birthDate !== undefined && (query.given === undefined || normaliseName(query.given) === '' || fields.given !== undefined);
    case 'name':
      return fields.family !== undefined && (query.given === undefined || normaliseName(query.given) === '' || fields.given !== undefined);
    case 'dob-postcode':
      return fields.birthDate !== undefined && fields.postcode !== undefined;
    case 'postcode-age':
      return fields.postcode !== undefined && fields.age !== undefined;
  }
}

const LABELS: Readonly<Record<keyof MatchedFields, string>> = {
  nhsNumber: 'NHS number',
  family: 'Family name',
  given: 'Given name',
  birthDate: 'Date of birth',
  postcode: 'Postcode',
  age: 'Age',
};

/**
 * Why it matched, in words, one line per field.
 * @example matchReasons({ family: 'sounds-like', birthDate: 'exact' }) // ['Family name sounds like it', 'Date of birth']
 */
export function matchReasons(fields: MatchedFields): string[] {
  const order: (keyof MatchedFields)[] = ['nhsNumber', 'family', 'given', 'birthDate', 'postcode', 'age'];
  return order.flatMap((key) => {
    const how = fields[key];
    if (!how) return [];
    const label = LABELS[key];
    switch (how) {
      case 'exact':
        return [label];
      case 'prefix':
        return [`${label} starts with what you typed`];
      case 'sounds-like':
        return [`${label} sounds like it`];
      case 'district':
        return ['Postcode district'];
      case 'in-range':
        return ['Age within the range'];
    }
  });
}

/** The partial address a result list may show: the postcode district alone (never the street). */
export function partialAddress(postcodeOutward: string): string | null {
  return postcodeOutward === '' ? null : `Postcode district ${postcodeOutward}`;
}
