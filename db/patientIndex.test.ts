import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { patientQuerySchema, type PatientQueryInput } from '../core/patientSearchViews';
import { type LocalStore, openLocalStore } from './localStore';
import { createResourceRepo } from './resourceRepo';
import { openConnection } from './storage/connection';

// Real encrypted files; Patients written the way sync writes them (RxDB), found through the SQL index.
const KEY = '7'.repeat(64);
const NOW = new Date('2026-06-15T10:00:00Z');
let dir: string;
let store: LocalStore;

const patient = (id: string, family: string, given: string, birthDate: string, postcode: string, nhs?: string): Patient => ({
  resourceType: 'Patient',
  id,
  meta: { lastUpdated: '2026-06-01T00:00:00Z', versionId: '1' },
  ...(nhs ? { identifier: [{ system: SYSTEMS.nhsNumber, value: nhs }] } : { identifier: [{ system: 'https://example.org/passport', value: 'P1234567' }] }),
  name: [{ use: 'official', family, given: [given] }],
  birthDate,
  address: [{ use: 'home', line: ['1 High Street'], postalCode: postcode }],
});

const PEOPLE = [
  patient('p1', 'Smith', 'Jane', '1980-02-03', 'E8 4QR', '9434765919'),
  patient('p2', 'Schmidt', 'Johann', '1980-02-03', 'N1 9GU', '9434765870'),
  patient('p3', 'Smithson', 'Zoë', '1991-07-21', 'E8 1AB', '9434765862'),
  patient('p4', 'Müller', 'Ana', '1986-05-01', 'E10 5NP'),
  patient('p5', "O'Brien", 'Sean', '1986-01-10', 'E8 2CD', '9434765854'),
];
const q = (input: PatientQueryInput) => patientQuerySchema.parse(input);
const ids = (query: PatientQueryInput) => store.patients.search(q(query), NOW).matches.map((m) => m.patient.patientId);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-patient-index-'));
  store = await openLocalStore({ directory: dir, key: KEY });
  await createResourceRepo(store).upsertAll(PEOPLE as never, '2026-06-01T00:00:00Z');
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('patient index', () => {
  it('is current as soon as the write resolves, and follows updates and removals', async () => {
    expect(store.patients.count()).toBe(5);
    expect(ids({ kind: 'nhs-number', nhsNumber: '943 476 5919' })).toEqual(['p1']);
    await createResourceRepo(store).upsertAll([patient('p1', 'Smith-Jones', 'Jane', '1980-02-03', 'E8 4QR', '9434765919')] as never, '2026-06-02T00:00:00Z');
    expect(ids({ kind: 'name', family: 'smith jones' })).toEqual(['p1']);
    await createResourceRepo(store).removeKeys(['Patient/p1']);
    expect(ids({ kind: 'nhs-number', nhsNumber: '9434765919' })).toEqual([]);
    expect(store.patients.count()).toBe(4);
  });

  it('finds by name and date of birth, exact first, then names that sound alike, saying why', () => {
    const found = store.patients.search(q({ kind: 'name-dob', family: 'Smith', birthDate: '1980-02-03' }), NOW).matches;
    expect(found.map((m) => [m.patient.patientId, m.fields])).toEqual([
      ['p1', { family: 'exact', birthDate: 'exact' }],
      ['p2', { family: 'sounds-like', birthDate: 'exact' }],
    ]);
  });

  it('finds partial names by prefix, case and accent insensitive, and phonetically', () => {
    expect(ids({ kind: 'name', family: 'SMI' })).toEqual(['p1', 'p3']);
    expect(ids({ kind: 'name', family: 'Smithson', given: 'zoe' })).toEqual(['p3']);
    expect(ids({ kind: 'name', family: 'muller' })).toEqual(['p4']);
    expect(ids({ kind: 'name', family: 'obrien' })).toEqual(['p5']);
    expect(ids({ kind: 'name', family: 'Shmit' })).toContain('p2');
  });

  it('finds by date of birth and postcode, and by postcode (full or district) and approximate age', () => {
    expect(ids({ kind: 'dob-postcode', birthDate: '1980-02-03', postcode: 'e84qr' })).toEqual(['p1']);
    expect(ids({ kind: 'postcode-age', postcode: 'E8', ageYears: 40, toleranceYears: 5 })).toEqual(['p5']);
    expect(ids({ kind: 'postcode-age', postcode: 'E8 4QR', ageYears: 46, toleranceYears: 0 })).toEqual(['p1']);
    // E10 is not E1, and the district is matched exactly.
    expect(ids({ kind: 'postcode-age', postcode: 'E1', ageYears: 40, toleranceYears: 10 })).toEqual([]);
  });

  it('keeps records without an NHS number findable by demographics, with their other identifiers', () => {
    const [found] = store.patients.search(q({ kind: 'name-dob', family: 'Muller', birthDate: '1986-05-01' }), NOW).matches;
    expect(found?.patient.nhsNumber).toBeNull();
    expect(found?.summary.otherIdentifiers.length).toBe(1);
  });

  it('answers every kind of query from an index, never a scan of the table', () => {
    const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
    try {
      const kinds: PatientQueryInput[] = [
        { kind: 'nhs-number', nhsNumber: '9434765919' },
        { kind: 'name-dob', family: 'Smith', birthDate: '1980-02-03' },
        { kind: 'name', family: 'smi' },
        { kind: 'dob-postcode', birthDate: '1980-02-03', postcode: 'E8 4QR' },
        { kind: 'postcode-age', postcode: 'E8', ageYears: 40 },
        { kind: 'postcode-age', postcode: 'E8 4QR', ageYears: 40 },
      ];
      for (const kind of kinds) {
        const plan = store.patients.plan(q(kind), NOW);
        const steps = (db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...plan.params) as { detail: string }[]).map((r) => r.detail);
        expect(steps.join(' | '), kind.kind).not.toMatch(/SCAN patient_index(?! USING)/);
        expect(steps.join(' | '), kind.kind).toMatch(/USING (COVERING )?INDEX patient_index_/);
      }
    } finally {
      db.close();
    }
  });

  it('is rebuilt on open when it is out of step with the cached Patients', async () => {
    await store.close();
    const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
    db.prepare("DELETE FROM patient_index WHERE patient_id IN ('p1', 'p2')").run();
    db.close();
    store = await openLocalStore({ directory: dir, key: KEY });
    expect(store.patients.count()).toBe(5);
    expect(ids({ kind: 'nhs-number', nhsNumber: '9434765919' })).toEqual(['p1']);
  });
});
