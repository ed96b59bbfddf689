import type { Consent, Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STALE_AFTER_MS, buildPatientRecordView } from '../core/recordView';
import { SNOMED_CPR, SYSTEMS } from '../core/fhirCodes';
import { createResourceRepo } from '../db/resourceRepo';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { DEMO_INCIDENTS, DEMO_PATIENTS } from '../sandbox/demoCast';
import { type TestClient, openTestClient } from './syncTestKit';

// What the crew is told about resuscitation when the Consent pull fails or a Consent cannot be
// read: never a freshly confirmed "none recorded" (reviewer's patient-safety findings 1 and 2).
let sandbox: Sandbox;
let client: TestClient;

/** What main's record.open does: the cached record plus the repo's facts. */
async function recordView(patientId: string) {
  const repo = createResourceRepo(client.store);
  const patient = await repo.get<Patient>('Patient', patientId);
  if (!patient) throw new Error(`${patientId} not cached`);
  return buildPatientRecordView(patient, await repo.forPatient(patientId), {
    now: new Date(),
    isOffline: false,
    staleAfterMs: DEFAULT_STALE_AFTER_MS,
    ...(await repo.recordViewFacts(patientId)),
  });
}

function cprConsent(id: string, patientReference: string): Consent & { id: string } {
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'adr' }] },
    category: [{ coding: [{ system: SYSTEMS.resusDecision, code: 'dnacpr' }] }],
    patient: { reference: patientReference },
    dateTime: '2026-11-01T10:00:00Z',
    provision: { type: 'deny', code: [{ coding: [{ system: SYSTEMS.snomed, code: SNOMED_CPR }] }] },
  };
}

beforeAll(async () => {
  // Writes unvalidated, so the record can hold a Consent OnScene must refuse.
  sandbox = await startSandbox({ patients: 20, seed: 11, validateWrites: false });
  client = await openTestClient({ baseUrl: sandbox.baseUrl, pageSize: 10, maxAttempts: 2 });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('resuscitation decision freshness', () => {
  it('a patient with no decision reads "none recorded", dated by the completed Consent pull', async () => {
    expect((await client.engine.run()).lastFailure).toBeNull();
    const view = await recordView(DEMO_PATIENTS.noDecision);
    expect(view.resuscitation).toMatchObject({ status: 'none-recorded', isPossiblyStale: false });
    expect(view.resuscitation.confirmedAt).not.toBeNull();
  });

  it('a newly assigned patient whose Consent pull drops is "not yet confirmed", never a fresh "none recorded"', async () => {
    const task = await sandbox.repo.readResource<Task>('Task', DEMO_INCIDENTS.k202[0]);
    await sandbox.repo.updateResource<Task>({ ...task, owner: { reference: 'Device/vehicle-K101' } });
    const joiner = DEMO_PATIENTS.otherVehicle;
    for (const c of await sandbox.repo.search<Consent>('Consent', { patient: `Patient/${joiner}` })) await sandbox.repo.deleteResource('Consent', c.id);
    sandbox.faults.set({ mode: 'drop', pathPrefix: 'Consent' });
    const failed = await client.engine.run();
    sandbox.faults.reset();
    expect(failed.lastFailure?.reason).toBe('offline'); // the dropped Consent pull ended the run
    // The Patient arrived with its incident, stamped now; its Consents never did.
    const view = await recordView(joiner);
    expect(view.resuscitation.status).toBe('not-yet-confirmed');
    expect(view.resuscitation).toMatchObject({ confirmedAt: null, isPossiblyStale: true });

    expect((await client.engine.run()).lastFailure).toBeNull();
    expect((await recordView(joiner)).resuscitation).toMatchObject({ status: 'none-recorded', isPossiblyStale: false });
  });

  it('a Consent that fails validation is reported against its patient, until a readable version arrives', async () => {
    const patientId = DEMO_PATIENTS.noDecision;
    const bad = { ...cprConsent('consent-unreadable', `Patient/${patientId}`), status: 'no-such-status' } as unknown as Consent & { id: string };
    await sandbox.repo.updateResource(bad);
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect((await createResourceRepo(client.store).recordViewFacts(patientId)).unreadableTypes).toEqual(['Consent']);
    const view = await recordView(patientId);
    expect(view.resuscitation).toMatchObject({ status: 'unreadable', headline: 'A resuscitation record could not be read — check other sources', isPossiblyStale: true });

    await sandbox.repo.updateResource(cprConsent('consent-unreadable', `Patient/${patientId}`));
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect((await recordView(patientId)).resuscitation.status).toBe('dnacpr');
  });
});

describe('after a successful run', () => {
  it('a failing onPulled listener (the sync-batch audit) does not turn the run into a failure', async () => {
    let calls = 0;
    const other = await openTestClient({
      baseUrl: sandbox.baseUrl,
      pageSize: 10,
      onPulled: () => {
        calls++;
        throw new Error('audit store full');
      },
    });
    try {
      const status = await other.engine.run();
      expect(calls).toBe(1);
      expect(status).toMatchObject({ state: 'idle', lastFailure: null });
      expect(status.lastSuccessAt).not.toBeNull();
    } finally {
      await other.close();
    }
  });
});
