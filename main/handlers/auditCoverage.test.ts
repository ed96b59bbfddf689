import type { Basic, Patient } from '@medplum/fhirtypes';
import { ANCHOR_CODE } from '../../sync/auditAnchor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../core/fhirCodes';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #10 item 3: every entry that returns patient data names each patient it returned, so the
// per-patient report (by NHS number, as IG asks) finds every access; refused attempts are recorded.
const byRole = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
let core: TestCore;
const { call, value, signIn } = caller(() => core);

beforeAll(async () => {
  core = await startCore(tempDataDir('audit-coverage'));
  const medic = await signIn(byRole('paramedic').userId, byRole('paramedic').pin);
  expect((await value('sync.run', {}, medic)).lastFailure).toBeNull();
});
afterAll(async () => {
  await core?.close();
});

/** What `audit patient <NHS number>` reads: entries about every record that carries this NHS number. */
const accessesTo = (nhsNumber: string) => {
  const log = core.store().audit;
  return log.forPatients(log.patientIdsForNhsNumber(nhsNumber), 1000).map((r) => `${r.userId}:${r.action}`);
};

describe('who was seen', () => {
  it('names every patient an incident list showed', async () => {
    const medic = await signIn(byRole('paramedic').userId, byRole('paramedic').pin);
    const { incidents } = await value('incidents.list', {}, medic);
    for (const { patient } of incidents) {
      expect(patient?.nhsNumber).toBeTruthy();
      expect(accessesTo(patient!.nhsNumber!)).toContain(`${byRole('paramedic').userId}:incidents.list`);
    }
  });

  it('finds a patient who was only searched for and broken-glass — never "no access recorded"', async () => {
    const handler = await signIn(byRole('call-handler').userId, byRole('call-handler').pin);
    await value('calls.start', { callReference: '111-20261203-0001' }, handler); // issue #13: the call is the purpose
    // Another vehicle's patient: not on this device until the call handler's search brings them.
    const patient = await core.sandbox!.repo.readResource<Patient>('Patient', DEMO_PATIENTS.otherVehicle);
    const nhs = patient.identifier!.find((i) => i.system === SYSTEMS.nhsNumber)!.value!;
    const target = { patientId: DEMO_PATIENTS.otherVehicle };
    expect(accessesTo(nhs)).toEqual([]);
    const found = await value('patients.lookup', { nhsNumber: nhs, purpose: { kind: 'call', callReference: '111-20261203-0001' } }, handler);
    expect(found.patients.map((p) => p.patientId)).toEqual([target.patientId]);
    const clinician = await signIn(byRole('clinician').userId, byRole('clinician').pin);
    await value('access.breakGlass', { patientId: target.patientId, reason: 'clinical-safety', reasonText: 'Caller reports new chest pain, needs the plan now' }, clinician);
    const seen = accessesTo(nhs);
    expect(seen).toContain(`${byRole('call-handler').userId}:patients.search`);
    expect(seen).toContain(`${byRole('clinician').userId}:break-glass`);
  });

  it('refuses a break-glass reason with control characters or without words, before anything is granted or written', async () => {
    const clinician = await signIn(byRole('clinician').userId, byRole('clinician').pin);
    const before = core.store().audit.stats().entries;
    const hidden = await call('access.breakGlass', { patientId: DEMO_PATIENTS.noDecision, reason: 'other', reasonText: 'Urgent review\u001b[2K\u0007 of this record' }, clinician);
    expect(hidden).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(core.store().audit.stats().entries).toBe(before); // refused at the contract: nothing to review, nothing hidden
    const noWords = await call('access.breakGlass', { patientId: DEMO_PATIENTS.noDecision, reason: 'other', reasonText: '..........!!!!' }, clinician);
    expect(noWords).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/in words/) } });
  });
});

describe('refused attempts', () => {
  it('records a PIN refused during the back-off wait, once a minute with a count, never once per guess', async () => {
    const colleague = DEMO_USERS.find((u) => u.role === 'paramedic' && u.userId !== byRole('paramedic').userId)!;
    for (let i = 0; i < 4; i++) await call('session.signIn', { userId: colleague.userId, pin: '000000' });
    for (let i = 0; i < 10; i++) expect(await call('session.signIn', { userId: colleague.userId, pin: colleague.pin })).toMatchObject({ ok: false, error: { code: 'too-many-attempts' } });
    const rows = core.store().audit.recentForUser(colleague.userId, 50).filter((r) => r.action === 'login.failed');
    const purposes = rows.map((r) => JSON.parse(r.body) as unknown).map((b) => JSON.stringify(b));
    expect(purposes.filter((p) => p.includes('refused during the wait'))).toHaveLength(1);
    expect(rows.length).toBe(5); // four wrong PINs, one refusal entry for the ten refused attempts
  });
});

describe('the audit chain anchored off the device', () => {
  it('every sync puts the chain head on the central record, matching the device’s own chain', async () => {
    const medic = await signIn(byRole('paramedic').userId, byRole('paramedic').pin);
    expect((await value('sync.run', {}, medic)).lastFailure).toBeNull();
    const anchors = await core.sandbox!.repo.search<Basic>('Basic', { _count: '10' });
    const mine = anchors.filter((b) => b.code.coding?.some((c) => c.code === ANCHOR_CODE));
    expect(mine).toHaveLength(1);
    const ext = (name: string) => mine[0]!.extension?.find((e) => e.url.endsWith(name));
    const seq = ext('chain-seq')?.valueInteger;
    const hash = ext('chain-hash')?.valueString;
    expect(seq).toBeGreaterThan(0);
    expect(core.store().audit.hashAt(seq!)).toBe(hash);
    const review = await value('audit.breakGlassReview', { limit: 10 }, await signIn(byRole('clinician').userId, byRole('clinician').pin));
    expect(review.setAside).toEqual([]); // nothing refused here; the list is what the review shows first
    expect(review.entries.every((e) => e.isSetAside === false)).toBe(true);
  });
});
