import type { MedicationRequest, Resource, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RECORD_TYPES, HISTORY_TIER_TYPES } from '../core/fhirCodes';
import { createResourceRepo, linkedKey } from '../db/resourceRepo';
import { DEMO_SHAPES, SHAPES_VEHICLE } from '../sandbox/demoCast';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { MEDICATION_CATALOGUE } from '../sandbox/synthMedicines';
import { ALL_DISTRICTS, type TestClient, openTestClient } from './syncTestKit';

// Issue #11 over real HTTP: every shape a central record sends reaches the store (medicines by
// reference included), and each type of a patient's record is confirmed by the completed pull
// that covered it, changed or not, never by a pull that did not complete.
const ADRENALINE = MEDICATION_CATALOGUE.adrenalineAutoInjector.id;
const SHAPE_IDS: readonly string[] = Object.values(DEMO_SHAPES);
const WITHHELD_SHAPES: readonly string[] = [DEMO_SHAPES.restricted, DEMO_SHAPES.sharingObjection];

async function serverKeysFor(sandbox: Sandbox, patientId: string): Promise<string[]> {
  const keys = [`Patient/${patientId}`];
  for (const type of ALL_RECORD_TYPES) {
    for (const r of await sandbox.repo.search<Resource>(type, { patient: `Patient/${patientId}` })) {
      keys.push(`${type}/${r.id}`);
      const medication = /^Medication\/(.+)$/.exec((r as MedicationRequest).medicationReference?.reference ?? '')?.[1];
      if (medication) keys.push(linkedKey('Medication', medication, patientId));
    }
  }
  return [...new Set(keys)].sort();
}

/** The patient's cached keys, without its incident (the Task is the dispatcher's, not the record's). */
async function localKeysFor(client: TestClient, patientId: string): Promise<string[]> {
  const docs = await client.store.resources.find({ selector: { patientId } }).exec();
  return docs.map((d) => d.key).filter((k) => !k.startsWith('Task/')).sort();
}

const facts = (client: TestClient, patientId: string) => createResourceRepo(client.store).recordViewFacts(patientId);
/** The HTTP Date header counts whole seconds: wait for the next one so a new run has a later server time. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

describe('the shapes a real central record sends', () => {
  let sandbox: Sandbox;
  let client: TestClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ patients: 12, seed: 7 });
    client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: SHAPES_VEHICLE, pageSize: 9 });
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  it('brings every shape whole, with each referenced Medication held for the patient who needs it, and quarantines none', async () => {
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    expect(status.quarantined).toBe(0);
    for (const id of SHAPE_IDS.filter((p) => !WITHHELD_SHAPES.includes(p))) expect(await localKeysFor(client, id), id).toEqual(await serverKeysFor(sandbox, id));
    const medicines = await localKeysFor(client, DEMO_SHAPES.medicines);
    expect(medicines).toContain(linkedKey('Medication', ADRENALINE, DEMO_SHAPES.medicines));
    expect(medicines).toEqual(expect.arrayContaining(['MedicationRequest/medreq-x01-1', 'MedicationRequest/medreq-x01-2', 'MedicationRequest/medreq-x01-3']));
    // The record view resolves `Medication/<id>` among the patient's own resources.
    const own = await createResourceRepo(client.store).forPatient(DEMO_SHAPES.medicines);
    expect(own.find((r) => r.resource.resourceType === 'Medication')?.resource).toMatchObject({ id: ADRENALINE, code: { text: MEDICATION_CATALOGUE.adrenalineAutoInjector.text } });
    // A contained Medication travels inside its request: nothing of its own is stored.
    expect([...(await client.fingerprint()).keys()].filter((k) => k.startsWith('Medication/med1'))).toEqual([]);
    for (const type of ['QuestionnaireResponse', 'Encounter', 'Procedure', 'Immunization', 'DocumentReference', 'RelatedPerson', 'CareTeam']) {
      expect([...(await client.fingerprint()).keys()].some((k) => k.startsWith(`${type}/`)), type).toBe(true);
    }
  });

  it('confirms every type of a covered patient at the server time its pull began, whether or not anything changed', async () => {
    const first = (await facts(client, DEMO_SHAPES.contacts)).confirmedAtByType ?? {};
    expect(Object.keys(first).sort()).toEqual(['Patient', ...ALL_RECORD_TYPES].sort());
    expect((await facts(client, DEMO_SHAPES.contacts)).consentConfirmedAt).toBe(first.Consent);
    await nextSecond();
    const runStartedAt = new Date(Date.now() - 1000).toISOString();
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    expect(client.engine.lastRun()?.stats.resources).toBe(0); // nothing changed on the server
    const second = (await facts(client, DEMO_SHAPES.contacts)).confirmedAtByType ?? {};
    for (const type of Object.keys(first)) {
      expect(Date.parse(second[type] ?? ''), type).toBeGreaterThan(Date.parse(first[type] ?? ''));
      expect(second[type]! >= runStartedAt && second[type]! <= status.lastSuccessAt!, type).toBe(true);
    }
  });

  it('a run that fails part-way confirms the tiers it completed and none after', async () => {
    const before = (await facts(client, DEMO_SHAPES.contacts)).confirmedAtByType ?? {};
    await nextSecond();
    sandbox.faults.set({ mode: 'drop', pathPrefix: 'MedicationRequest' });
    const failed = await client.engine.run();
    sandbox.faults.reset();
    expect(failed.lastFailure?.reason).toBe('offline');
    const after = (await facts(client, DEMO_SHAPES.contacts)).confirmedAtByType ?? {};
    // The safety tier completed (with its deletions) before the prescriptions' pull dropped.
    for (const type of ['Patient', 'Consent', 'Flag', 'AllergyIntolerance', 'CarePlan', 'QuestionnaireResponse']) expect(after[type], type).not.toBe(before[type]);
    for (const type of ['MedicationRequest', 'MedicationStatement', 'Condition', 'RelatedPerson', 'CareTeam', 'Encounter', 'Observation']) expect(after[type], type).toBe(before[type]);
    expect((await client.engine.run()).lastFailure).toBeNull();
    const healed = (await facts(client, DEMO_SHAPES.contacts)).confirmedAtByType ?? {};
    expect(healed.MedicationRequest).not.toBe(before.MedicationRequest);
  });
});

describe('confirmation in the area caseload', () => {
  let sandbox: Sandbox;
  let client: TestClient;
  let isArmed = false;
  beforeAll(async () => {
    sandbox = await startSandbox({ patients: 12, seed: 10 });
    // The signal goes once the area reaches its history (the incident scope has read every type's deletions by then).
    const onStatus = (s: { progress: { phase: string } }) => {
      if (!isArmed || !s.progress.phase.startsWith('Area caseload: past encounters')) return;
      isArmed = false;
      sandbox.faults.set({ mode: 'drop', pathPrefix: 'DocumentReference' });
    };
    client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K108', area: ALL_DISTRICTS, pageSize: 20, onStatus });
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  it('a drop during the history still records the tiers completed before it, once, and nothing of the history', async () => {
    expect((await client.engine.run()).lastFailure).toBeNull();
    const member = DEMO_SHAPES.plansAndHistory;
    const before = (await facts(client, member)).confirmedAtByType ?? {};
    expect(Object.keys(before).sort()).toEqual(['Patient', ...ALL_RECORD_TYPES].sort());
    await nextSecond();
    isArmed = true;
    const failed = await client.engine.run();
    sandbox.faults.reset();
    expect(failed.lastFailure?.reason).toBe('offline');
    const after = (await facts(client, member)).confirmedAtByType ?? {};
    for (const type of ['Patient', 'CarePlan', 'Consent', 'QuestionnaireResponse', 'MedicationRequest', 'CareTeam']) expect(after[type], type).not.toBe(before[type]);
    // Encounter, Procedure and Immunization completed too, but their tier did not.
    for (const type of HISTORY_TIER_TYPES) expect(after[type], type).toBe(before[type]);
  });
});

describe('medicines by reference from a server that does not answer _include', () => {
  let sandbox: Sandbox;
  let client: TestClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ patients: 12, seed: 8, ignoredIncludes: ['MedicationRequest:medication', 'MedicationStatement:medication'] });
    client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: SHAPES_VEHICLE, pageSize: 9, incidentGraceMs: 0 });
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  it('reads them by id; one the server does not have never holds the page up; each copy goes with its own patient', async () => {
    // A second patient on the same medicine, and a prescription whose Medication the server does not hold.
    await sandbox.repo.updateResource<MedicationRequest>({
      resourceType: 'MedicationRequest', id: 'medreq-x02-epi', status: 'active', intent: 'order', subject: { reference: `Patient/${DEMO_SHAPES.contacts}` },
      medicationReference: { reference: `Medication/${ADRENALINE}` },
    });
    await sandbox.repo.updateResource<MedicationRequest>({
      resourceType: 'MedicationRequest', id: 'medreq-x01-gone', status: 'active', intent: 'order', subject: { reference: `Patient/${DEMO_SHAPES.medicines}` },
      medicationReference: { reference: 'Medication/not-on-this-server' },
    });
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    const keys = [...(await client.fingerprint()).keys()];
    expect(keys).toEqual(expect.arrayContaining([
      linkedKey('Medication', ADRENALINE, DEMO_SHAPES.medicines), linkedKey('Medication', ADRENALINE, DEMO_SHAPES.contacts), 'MedicationRequest/medreq-x01-gone',
    ]));
    expect(keys.filter((k) => k.includes('not-on-this-server'))).toEqual([]);

    // x01's incident leaves this vehicle (no grace here): its copy goes with it, x02's stays.
    const task = await sandbox.repo.readResource<Task>('Task', `task-x01-active`);
    await sandbox.repo.updateResource<Task>({ ...task, owner: { reference: 'Device/vehicle-K202' } });
    expect((await client.engine.run()).lastFailure).toBeNull();
    const after = [...(await client.fingerprint()).keys()];
    expect(after).not.toContain(linkedKey('Medication', ADRENALINE, DEMO_SHAPES.medicines));
    expect(after).toContain(linkedKey('Medication', ADRENALINE, DEMO_SHAPES.contacts));
    expect(client.purges.find((p) => p.patientId === DEMO_SHAPES.medicines)).toMatchObject({ reason: 'left-scope' });
  });
});
