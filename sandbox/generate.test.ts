import { validateResource } from '@medplum/core';
import type {
  AllergyIntolerance, CarePlan, Consent, Flag, MedicationRequest, Patient, Practitioner, QuestionnaireResponse, Resource, Task,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { SNOMED_CPR, SYSTEMS } from '../core/fhirCodes';
import { isTestRangeNhsNumber, isValidNhsNumber } from '../core/nhsNumber';
import { DEMO_INCIDENTS, DEMO_PATIENTS, DEMO_SHAPES, DEMO_USERS, DEMO_VEHICLE, SDS_USER_ID_SYSTEM, SHAPES_VEHICLE } from './demoCast';
import { loadFhirDefinitions } from './definitions';
import { generateDataset } from './generate';
import { SEED_EPOCH_MS } from './synthTime';

const of = <T extends Resource>(all: readonly Resource[], type: T['resourceType']): T[] => all.filter((r): r is T => r.resourceType === type);
const forPatient = (all: readonly Resource[], patientId: string): Resource[] =>
  all.filter((r) => JSON.stringify(r).includes(`"Patient/${patientId}"`));

describe('generateDataset', () => {
  const data = generateDataset({ patients: 1500, seed: 42 });

  beforeAll(() => loadFhirDefinitions());

  it('is deterministic: same seed gives identical resources, ids and timestamps', () => {
    expect(generateDataset({ patients: 1500, seed: 42 })).toEqual(data);
    const other = generateDataset({ patients: 1500, seed: 43 });
    expect(JSON.stringify(other)).not.toEqual(JSON.stringify(data));
  });

  it('gives every patient a unique, Modulus 11 valid NHS number in the 999 test range, or else a hospital number', () => {
    const patients = of<Patient>(data, 'Patient');
    const shapeIds: readonly string[] = Object.values(DEMO_SHAPES);
    expect(patients.filter((p) => !shapeIds.includes(p.id ?? ''))).toHaveLength(1500);
    expect(patients.filter((p) => shapeIds.includes(p.id ?? '')).map((p) => p.id)).toEqual([...shapeIds]);
    const withoutNhs = patients.filter((p) => p.identifier?.[0]?.system !== SYSTEMS.nhsNumber);
    // A few, as real records have: told apart by their hospital number.
    expect(withoutNhs.length).toBeGreaterThan(1);
    expect(withoutNhs.length).toBeLessThan(40);
    for (const p of withoutNhs) expect(p.identifier).toEqual([expect.objectContaining({ system: SYSTEMS.hospitalNumber, value: expect.stringMatching(/^RSH\d{7}$/) })]);
    const numbers = patients.filter((p) => !withoutNhs.includes(p)).map((p) => {
      expect(p.identifier?.[0]?.system).toBe(SYSTEMS.nhsNumber);
      return p.identifier?.[0]?.value ?? '';
    });
    for (const n of numbers) {
      expect(isValidNhsNumber(n)).toBe(true);
      expect(isTestRangeNhsNumber(n)).toBe(true);
    }
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(patients.every((p) => p.address?.[0]?.city === 'London' && /^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/.test(p.address[0].postalCode ?? ''))).toBe(true);
  });

  it('has unique ids and deterministic, strictly increasing seeded lastUpdated', () => {
    expect(new Set(data.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(data.length);
    data.forEach((r, i) => {
      const { security, ...meta } = r.meta ?? {};
      expect(meta).toEqual({ versionId: '1', lastUpdated: new Date(SEED_EPOCH_MS + i * 1000).toISOString() });
      if (security) expect(security).toEqual([expect.objectContaining({ system: SYSTEMS.confidentiality, code: expect.stringMatching(/^[RV]$/) })]);
    });
  });

  it('produces valid FHIR R4 resources', () => {
    const small = generateDataset({ patients: 150, seed: 7 });
    for (const r of small) expect(() => validateResource(r), `${r.resourceType}/${r.id}`).not.toThrow();
  });

  it('always encodes DNACPR as deny and links end-of-life plans to their decision', () => {
    const consents = of<Consent>(data, 'Consent');
    expect(consents.length).toBeGreaterThan(20);
    for (const c of consents.filter((c) => c.scope.coding?.[0]?.code !== 'patient-privacy')) {
      const kind = c.category[0]?.coding?.[0];
      expect(kind?.system).toBe(SYSTEMS.resusDecision);
      expect(c.scope).toEqual({ coding: [{ system: SYSTEMS.consentScope, code: 'adr' }] });
      expect(c.provision?.code?.[0]?.coding?.[0]).toMatchObject({ system: SYSTEMS.snomed, code: SNOMED_CPR });
      if (kind?.code === 'dnacpr') expect(c.provision?.type).toBe('deny');
      expect(c.extension?.[0]?.url).toBe(SYSTEMS.decisionNote);
    }
    const eol = of<CarePlan>(data, 'CarePlan').filter((p) => p.category?.[0]?.coding?.[0]?.code === 'end-of-life');
    expect(eol.length).toBeGreaterThan(10);
    const consentRefs = new Set(consents.map((c) => `Consent/${c.id}`));
    for (const plan of eol) expect(consentRefs.has(plan.supportingInfo?.[0]?.reference ?? '')).toBe(true);
  });

  it('seeds the demo cast: (a) DNACPR + premises warning + allergy, (b) sickle cell + ReSPECT for CPR, (c) no decision', () => {
    const a = forPatient(data, DEMO_PATIENTS.eolDnacpr);
    const aConsent = of<Consent>(a, 'Consent');
    expect(aConsent.map((c) => [c.category[0]?.coding?.[0]?.code, c.provision?.type])).toEqual([['dnacpr', 'deny']]);
    expect(of<Flag>(a, 'Flag').some((f) => f.category?.[0]?.coding?.[0]?.code === 'safety' && /Premises warning/.test(f.code.text ?? ''))).toBe(true);
    expect(of(a, 'AllergyIntolerance')).toHaveLength(1);
    expect(of<CarePlan>(a, 'CarePlan')[0]?.supportingInfo?.[0]?.reference).toBe(`Consent/${aConsent[0]?.id}`);

    const b = forPatient(data, DEMO_PATIENTS.sickleCellForCpr);
    expect(of<CarePlan>(b, 'CarePlan').map((p) => p.category?.[0]?.coding?.[0]?.code)).toEqual(['sickle-cell']);
    expect(of<Consent>(b, 'Consent').map((c) => [c.category[0]?.coding?.[0]?.code, c.provision?.type])).toEqual([['respect', 'permit']]);

    expect(of(forPatient(data, DEMO_PATIENTS.noDecision), 'Consent')).toHaveLength(0);

    const tasks = of<Task>(data, 'Task');
    const k101 = tasks.filter((t) => t.owner?.reference === `Device/vehicle-${DEMO_VEHICLE}` && t.status !== 'completed');
    expect(k101.map((t) => t.id)).toEqual([...DEMO_INCIDENTS.k101]);
    expect(k101.map((t) => t.for?.reference)).toEqual([DEMO_PATIENTS.eolDnacpr, DEMO_PATIENTS.sickleCellForCpr, DEMO_PATIENTS.noDecision].map((id) => `Patient/${id}`));
    const k202 = tasks.find((t) => t.id === DEMO_INCIDENTS.k202[0]);
    expect(k202?.owner?.reference).toBe('Device/vehicle-K202');
    expect(k202?.identifier?.[0]).toMatchObject({ system: SYSTEMS.incidentNumber, value: expect.stringMatching(/^CAD-\d{4}-\d{6}$/) });
  });

  it('gives the demo cast the same content whatever the seed or size', () => {
    const demoOf = (all: readonly Resource[]): Resource[] => Object.values(DEMO_PATIENTS).flatMap((id) => forPatient(all, id).map(({ meta: _m, ...r }) => r as Resource));
    expect(demoOf(generateDataset({ patients: 10, seed: 99 }))).toEqual(demoOf(data));
    const practitioners = new Map(of<Practitioner>(data, 'Practitioner').map((p) => [p.id, p]));
    for (const u of DEMO_USERS) {
      // The app finds a signed-in user's Practitioner by the IdP's `sub`.
      expect(practitioners.get(u.practitionerId)?.identifier).toContainEqual({ system: SDS_USER_ID_SYSTEM, value: u.userId });
    }
  });

  it('spreads the shapes of real central records over the caseload too', () => {
    const added = ['MedicationRequest', 'Encounter', 'Procedure', 'Immunization', 'DocumentReference', 'RelatedPerson', 'CareTeam', 'QuestionnaireResponse'];
    const caseloadOf = (type: string) => data.filter((r) => r.resourceType === type && JSON.stringify(r).includes('"Patient/pat-0'));
    for (const type of added) expect(caseloadOf(type).length, type).toBeGreaterThan(0);
    expect(of<AllergyIntolerance>(data, 'AllergyIntolerance').filter((a) => /-(nkda|eie)$/.test(a.id ?? '') && a.patient.reference?.startsWith('Patient/pat-0')).length).toBeGreaterThan(5);
    expect(of<Patient>(data, 'Patient').some((p) => p.deceasedDateTime && p.id?.startsWith('pat-0'))).toBe(true);
    const requests = of<MedicationRequest>(data, 'MedicationRequest');
    expect(requests.some((r) => r.medicationReference?.reference?.startsWith('Medication/'))).toBe(true);
    expect(requests.some((r) => r.medicationReference?.reference === '#med1' && r.contained?.[0]?.resourceType === 'Medication')).toBe(true);
    expect(requests.some((r) => r.status === 'stopped')).toBe(true);
    const medications = new Set(of(data, 'Medication').map((m) => `Medication/${m.id}`));
    for (const r of requests) if (r.medicationReference?.reference?.startsWith('Medication/')) expect(medications.has(r.medicationReference.reference)).toBe(true);
  });

  it('seeds the shapes cast on its own vehicle, the same whatever the seed or size', () => {
    const shapesOf = (all: readonly Resource[]) => Object.values(DEMO_SHAPES).flatMap((id) => forPatient(all, id).concat(all.filter((r) => r.id === id)).map(({ meta, ...r }) => ({ ...r, security: meta?.security })));
    expect(shapesOf(generateDataset({ patients: 10, seed: 99 }))).toEqual(shapesOf(data));
    const tasks = of<Task>(data, 'Task').filter((t) => t.owner?.reference === `Device/vehicle-${SHAPES_VEHICLE}`);
    expect(tasks.map((t) => t.for?.reference)).toEqual(Object.values(DEMO_SHAPES).map((id) => `Patient/${id}`));
    const x01 = forPatient(data, DEMO_SHAPES.medicines);
    const peanut = of<AllergyIntolerance>(x01, 'AllergyIntolerance').find((a) => a.code?.text === 'Peanut');
    expect(peanut?.reaction?.map((r) => r.manifestation[0]?.text)).toEqual(['Urticaria', 'Anaphylaxis']);
    expect(of<AllergyIntolerance>(x01, 'AllergyIntolerance').find((a) => a.verificationStatus?.coding?.[0]?.code === 'entered-in-error')?.clinicalStatus).toBeUndefined();
    expect(of<QuestionnaireResponse>(forPatient(data, DEMO_SHAPES.endOfLifeForm), 'QuestionnaireResponse')).toHaveLength(1);
    expect(of(forPatient(data, DEMO_SHAPES.endOfLifeForm), 'Consent')).toEqual([]);
    expect(of<Patient>(data, 'Patient').find((p) => p.id === DEMO_SHAPES.deceased)?.deceasedDateTime).toMatch(/^2026-05-31T/);
    const labelledOf = (id: string) => forPatient(data, id).filter((r) => r.meta?.security).map((r) => r.meta?.security?.[0]?.code);
    expect(labelledOf(DEMO_SHAPES.restricted)).toEqual(['R', 'V']);
    expect(of<Consent>(forPatient(data, DEMO_SHAPES.sharingObjection), 'Consent').map((c) => c.scope.coding?.[0]?.code).sort()).toEqual(['adr', 'patient-privacy']);
  });

  it('rejects impossible sizes with a clear message', () => {
    expect(() => generateDataset({ patients: 3, seed: 1 })).toThrow(/patients must be an integer from 4/);
    expect(() => generateDataset({ patients: 10, seed: -1 })).toThrow(/seed/);
  });
});
