import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INCIDENTS, DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// The holes issue #9 names, through the real dispatcher, sandbox and encrypted store.
const byRole = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
let core: TestCore;
const { call, value, signIn } = caller(() => core);
let medic: string;

beforeAll(async () => {
  core = await startCore(tempDataDir('role-rules'));
  medic = await signIn(byRole('paramedic').userId, byRole('paramedic').pin);
  expect((await value('sync.run', {}, medic)).lastFailure).toBeNull();
});
afterAll(async () => {
  await core?.close();
});

describe('role rules at the contract', () => {
  it('a 111 call handler does not see the vehicle’s incidents (names and NHS numbers)', async () => {
    const handler = await signIn(byRole('call-handler').userId, byRole('call-handler').pin);
    const result = await call('incidents.list', {}, handler);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(result)).not.toMatch(/999\d{7}/);
    expect((await value('incidents.list', {}, medic)).incidents.length).toBeGreaterThan(0);
  });

  it('a clinician’s incident must be on this device and be the patient’s', async () => {
    const clinician = await signIn(byRole('clinician').userId, byRole('clinician').pin);
    const patientId = DEMO_PATIENTS.eolDnacpr;
    const made = await call('record.openWithPurpose', { patientId, purpose: { kind: 'incident', incidentId: 'task-invented-1' } }, clinician);
    expect(made).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const wrongPatient = await call('record.openWithPurpose', { patientId: DEMO_PATIENTS.sickleCellForCpr, purpose: { kind: 'incident', incidentId: DEMO_INCIDENTS.k101[0] } }, clinician);
    expect(wrongPatient).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const real = await value('record.openWithPurpose', { patientId, purpose: { kind: 'incident', incidentId: DEMO_INCIDENTS.k101[0] } }, clinician);
    expect(real.patient.patientId).toBe(patientId);
  });
  // conflicts.list and purged.list per patient: main/services/syncHandlers.test.ts, where a real conflict and purge exist.
});
