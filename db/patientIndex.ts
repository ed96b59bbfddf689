import type { Patient } from '@medplum/fhirtypes';
import { doubleMetaphone } from 'double-metaphone';
import {
  type IndexedPatient, type MatchedFields, type PreparedQuery, birthDateRange, indexedAddress, indexedName, isFullPostcode, isUnverifiedIdentity,
  isWanted, matchFields, matchScore, nhsNumberOf, normaliseName, normalisePostcode, outwardCode,
} from '../core/patientSearch';
import type { PatientQuery } from '../core/patientSearchViews';
import { isReplacedPatient } from '../core/triageLink';
import { patientSummary } from '../core/recordView';
import type { SQLiteDatabase, SQLiteStatement } from './storage/sqlHelpers';

/**
 * The local patient index (table patient_index, db/migrations/m0003PatientIndex.ts): what a
 * search reads instead of every cached Patient (issue #13). Every query is one prepared statement
 * on an index (EXPLAIN QUERY PLAN in patientIndex.test.ts); the few candidates it returns are
 * matched, explained and ranked in core/patientSearch.ts.
 */

/** What a result list shows of a patient, kept in the row so a search reads no resource. */
export type IndexedSummary = Readonly<{
  name: string;
  gender: string | null;
  otherIdentifiers: readonly Readonly<{ label: string; value: string }>[];
  isUnverified: boolean;
  /** A temporary identity linked to the real patient: kept (and indexed, so counts agree) for its history, never a result. */
  isReplaced?: boolean;
}>;

export type IndexMatch = Readonly<{
  patient: IndexedPatient;
  summary: IndexedSummary;
  fields: MatchedFields;
  count: number;
  quality: number;
}>;

export type IndexSearch = Readonly<{ matches: readonly IndexMatch[]; isTruncated: boolean }>;

/** The statement a query runs and its parameters: the benchmark runs the same SQL on a raw connection. */
export type IndexPlan = Readonly<{ sql: string; params: readonly (string | number)[] }>;

export type PatientIndex = Readonly<{
  /** Adds or replaces rows and removes others, in one transaction. */
  apply(upserts: readonly Patient[], removals: readonly string[]): void;
  /** Replaces the whole table with these Patients (one transaction). */
  rebuild(patients: readonly Patient[]): void;
  count(): number;
  search(query: PatientQuery, now: Date, limit?: number): IndexSearch;
  plan(query: PatientQuery, now: Date): IndexPlan;
  prepare(query: PatientQuery, now: Date): PreparedQuery;
}>;

/** The Double Metaphone keys of a normalised name (primary, alternate); none for an empty one. */
export function phoneticKeys(normalised: string): [string, string] {
  if (normalised === '') return ['', ''];
  const [primary, alternate] = doubleMetaphone(normalised);
  return [primary, alternate === primary ? '' : alternate];
}

type Row = Readonly<{
  patient_id: string; nhs_number: string | null; family_norm: string; given_norm: string;
  family_phonetic: string; family_phonetic_alt: string; given_phonetic: string; given_phonetic_alt: string;
  birth_date: string | null; postcode_norm: string; postcode_outward: string; summary: string;
}>;

const COLUMNS = 'patient_id, nhs_number, family_norm, given_norm, family_phonetic, family_phonetic_alt, given_phonetic, given_phonetic_alt, birth_date, postcode_norm, postcode_outward, summary';

/** The row a Patient is indexed as. */
export function indexRow(patient: Patient): Row {
  const name = indexedName(patient);
  const family = normaliseName(name?.family ?? '');
  const given = normaliseName(name?.given?.[0] ?? '');
  const [familyPhonetic, familyAlt] = phoneticKeys(family);
  const [givenPhonetic, givenAlt] = phoneticKeys(given);
  const postcode = normalisePostcode(indexedAddress(patient)?.postalCode ?? '');
  const shown = patientSummary(patient);
  const summary: IndexedSummary = { name: shown.name, gender: shown.gender, otherIdentifiers: shown.otherIdentifiers ?? [], isUnverified: isUnverifiedIdentity(patient), ...(isReplacedPatient(patient) ? { isReplaced: true } : {}) };
  return {
    patient_id: patient.id ?? '',
    nhs_number: nhsNumberOf(patient),
    family_norm: family,
    given_norm: given,
    family_phonetic: familyPhonetic,
    family_phonetic_alt: familyAlt,
    given_phonetic: givenPhonetic,
    given_phonetic_alt: givenAlt,
    birth_date: typeof patient.birthDate === 'string' ? patient.birthDate : null,
    postcode_norm: postcode,
    postcode_outward: outwardCode(postcode),
    summary: JSON.stringify(summary),
  };
}

const keysOf = (primary: string, alt: string) => [primary, alt].filter((k) => k !== '');

function fromRow(row: Row): IndexedPatient {
  return {
    patientId: row.patient_id,
    nhsNumber: row.nhs_number,
    familyNorm: row.family_norm,
    givenNorm: row.given_norm,
    familyPhonetic: keysOf(row.family_phonetic, row.family_phonetic_alt),
    givenPhonetic: keysOf(row.given_phonetic, row.given_phonetic_alt),
    birthDate: row.birth_date,
    postcodeNorm: row.postcode_norm,
    postcodeOutward: row.postcode_outward,
  };
}

/** The upper bound of a prefix range: "smi" → "smj" (names are a–z only). */
const prefixEnd = (prefix: string) => `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;

/** How many candidate rows one search reads at most: enough to rank, bounded so a one-letter name cannot read the table. */
const CANDIDATE_LIMIT = 500;

export function prepareQuery(query: PatientQuery, now: Date): PreparedQuery {
  const family = 'family' in query ? normaliseName(query.family) : '';
  const given = 'given' in query && query.given !== undefined ? normaliseName(query.given) : '';
  const [fp, fa] = phoneticKeys(family);
  const [gp, ga] = phoneticKeys(given);
  const postcode = 'postcode' in query ? normalisePostcode(query.postcode) : '';
  const birthRange = query.kind === 'postcode-age' ? birthDateRange(query.ageYears, query.toleranceYears, now) : null;
  return { query, family, given, familyPhonetic: keysOf(fp, fa), givenPhonetic: keysOf(gp, ga), postcode, birthRange };
}

/** The one statement a query runs (each served by an index of migration 3). */
export function planQuery(q: PreparedQuery): IndexPlan {
  const select = `SELECT ${COLUMNS} FROM patient_index`;
  const limit = CANDIDATE_LIMIT + 1;
  const query = q.query;
  switch (query.kind) {
    case 'nhs-number':
      return { sql: `${select} WHERE nhs_number = ? LIMIT ?`, params: [query.nhsNumber, limit] };
    // A date of birth narrows to a handful of rows: the names are matched on those.
    case 'name-dob':
    case 'dob-postcode':
      return { sql: `${select} WHERE birth_date = ? LIMIT ?`, params: [query.birthDate, limit] };
    case 'postcode-age': {
      const range = q.birthRange ?? { from: '', to: '' };
      return isFullPostcode(q.postcode)
        ? { sql: `${select} WHERE postcode_norm = ? AND birth_date BETWEEN ? AND ? LIMIT ?`, params: [q.postcode, range.from, range.to, limit] }
        : { sql: `${select} WHERE postcode_outward = ? AND birth_date BETWEEN ? AND ? LIMIT ?`, params: [q.postcode, range.from, range.to, limit] };
    }
    case 'name': {
      // Prefix on the name, or either phonetic key on either stored key: three indexed branches.
      const [p1 = '', p2 = ''] = q.familyPhonetic;
      const prefix = q.family === '' ? '\u0000' : q.family;
      return {
        sql: `${select} WHERE family_norm >= ? AND family_norm < ?
 UNION SELECT ${COLUMNS} FROM patient_index WHERE family_phonetic IN (?, ?) AND family_phonetic <> ''
 UNION SELECT ${COLUMNS} FROM patient_index WHERE family_phonetic_alt IN (?, ?) AND family_phonetic_alt <> ''
 LIMIT ?`,
        params: [prefix, prefixEnd(prefix), p1, p2, p1, p2, limit],
      };
    }
  }
}

/** A Patient that is not in the index (a central result) matched and explained the same way; null when it does not match. */
export function matchResource(patient: Patient, query: PatientQuery, now: Date): IndexMatch | null {
  const row = indexRow(patient);
  const indexed = fromRow(row);
  const fields = matchFields(indexed, prepareQuery(query, now));
  if (!isWanted(fields, query)) return null;
  return { patient: indexed, summary: JSON.parse(row.summary) as IndexedSummary, fields, ...matchScore(fields) };
}

export const compareMatches = (a: IndexMatch, b: IndexMatch) =>
  b.count - a.count || b.quality - a.quality || a.summary.name.localeCompare(b.summary.name) || a.patient.patientId.localeCompare(b.patient.patientId);

export function createPatientIndex(db: SQLiteDatabase): PatientIndex {
  const upsert = db.prepare(`INSERT OR REPLACE INTO patient_index (${COLUMNS}) VALUES (@patient_id, @nhs_number, @family_norm, @given_norm, @family_phonetic, @family_phonetic_alt, @given_phonetic, @given_phonetic_alt, @birth_date, @postcode_norm, @postcode_outward, @summary)`);
  const remove = db.prepare('DELETE FROM patient_index WHERE patient_id = ?');
  const clear = db.prepare('DELETE FROM patient_index');
  const count = db.prepare('SELECT count(*) FROM patient_index').pluck();
  const statements = new Map<string, SQLiteStatement>();
  const statement = (sql: string) => {
    let found = statements.get(sql);
    if (!found) statements.set(sql, (found = db.prepare(sql)));
    return found;
  };
  const apply = db.transaction((upserts: readonly Patient[], removals: readonly string[]) => {
    for (const id of removals) remove.run(id);
    for (const patient of upserts) if (patient.id) upsert.run(indexRow(patient));
  });
  const rebuild = db.transaction((patients: readonly Patient[]) => {
    clear.run();
    for (const patient of patients) if (patient.id) upsert.run(indexRow(patient));
  });

  return {
    apply: (upserts, removals) => apply(upserts, removals),
    rebuild: (patients) => rebuild(patients),
    count: () => count.get() as number,
    prepare: prepareQuery,
    plan: (query, now) => planQuery(prepareQuery(query, now)),
    search(query, now, limit = 50) {
      const prepared = prepareQuery(query, now);
      const plan = planQuery(prepared);
      const rows = statement(plan.sql).all(...(plan.params as (string | number)[])) as Row[];
      const matches: IndexMatch[] = [];
      for (const row of rows) {
        const patient = fromRow(row);
        const fields = matchFields(patient, prepared);
        if (!isWanted(fields, query)) continue;
        const summary = JSON.parse(row.summary) as IndexedSummary;
        if (summary.isReplaced) continue;
        matches.push({ patient, summary, fields, ...matchScore(fields) });
      }
      matches.sort(compareMatches);
      return { matches: matches.slice(0, limit), isTruncated: matches.length > limit || rows.length > CANDIDATE_LIMIT };
    },
  };
}
