import type { CarePlan, Communication, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident } from '../../sandbox/synthIncidents';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #14 through the real dispatcher, two devices on one sandbox over HTTP: a crew's additions
// to a care plan reach the central record; two vehicles editing one plan meet as a conflict that is
// reviewed with both versions in front of the clinician, and combined or decided.
const PLAN = 'careplan-000001-eol';
const PATIENT = 'pat-000001';
let first: TestCore;
let second: TestCore;
const a = caller(() => first);
const b = caller(() => second);
let tokenA: string;
let tokenB: string;
let incidentA: string;
const LOG: string[] = [];
const INCIDENT_B = 'task-k102-backup';

async function centralPlan(): Promise<CarePlan> {
  return first.sandbox!.repo.readResource<CarePlan>('CarePlan', PLAN);
}

beforeAll(async () => {
  first = await startCore(tempDataDir('care-a'), LOG, null, { sandboxOptions: { patients: 12, seed: 1 } });
  const sandbox = first.sandbox!;
  // A second vehicle sent to the same patient: its own incident, its own device.
  const backup: Task = buildIncident({
    id: INCIDENT_B, incidentNumber: 'CAD-2026-990001', status: 'in-progress', priority: 'asap', description: 'Backup to the first crew',
    patientId: PATIENT, vehicle: 'K102', authoredAtMs: Date.now() - 60_000, lastModifiedAtMs: Date.now() - 60_000,
  });
  await sandbox.repo.updateResource<Task>({ ...backup, id: INCIDENT_B });
  second = await startCore(tempDataDir('care-b'), LOG, sandbox.baseUrl, { config: { vehicle: 'K102', centralToken: sandbox.serviceToken, storeName: 'onscene-second-vehicle' } });
  tokenA = await a.signIn('demo-paramedic-1', '111111');
  tokenB = await b.signIn('demo-paramedic-1', '111111');
  expect((await a.value('sync.run', {}, tokenA)).lastFailure).toBeNull();
  expect((await b.value('sync.run', {}, tokenB)).lastFailure).toBeNull();
  const incidents = (await a.value('incidents.list', {}, tokenA)).incidents;
  incidentA = incidents.find((i) => i.patient?.patientId === PATIENT)!.incidentId;
  expect((await b.value('incidents.list', {}, tokenB)).incidents.map((i) => i.incidentId)).toEqual([INCIDENT_B]);
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const planOn = async (device: typeof a, token: string, incidentId: string) =>
  (await device.value('record.open', { patientId: PATIENT, incidentId }, token)).carePlans.find((p) => p.id === PLAN)!;

describe('contributing to a care plan', () => {
  it('refuses what is incomplete, and a plan for another patient, in plain words', async () => {
    const used = await a.call('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: incidentA, kind: 'plan-used', text: 'x' }, tokenA);
    expect(used).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.stringify(used)).toContain('check outcome');
    const wrong = await a.call('careplans.contribute', { patientId: 'pat-000002', carePlanId: PLAN, incidentId: incidentA, kind: 'note-for-owner', text: 'Hello' }, tokenA);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('shows a "plan used" note at once as waiting to upload, and it reaches the central record as a Communication', async () => {
    const saved = await a.value('careplans.contribute', {
      patientId: PATIENT, carePlanId: PLAN, incidentId: incidentA, kind: 'plan-used', outcome: 'followed', text: 'Anticipatory medicines given as the plan says',
    }, tokenA);
    expect(saved.resourceType).toBe('Communication');
    const before = await planOn(a, tokenA, incidentA);
    expect(before.contributions).toEqual([expect.objectContaining({ label: 'Plan used by an ambulance crew', text: 'Plan followed. Anticipatory medicines given as the plan says', isWaitingToUpload: true })]);
    expect((await a.value('sync.run', {}, tokenA)).pendingUploads).toBe(0);
    const central = await first.sandbox!.repo.readResource<Communication>('Communication', saved.resourceId);
    expect(central).toMatchObject({ status: 'completed', about: [{ reference: `CarePlan/${PLAN}` }], subject: { reference: `Patient/${PATIENT}` }, basedOn: [{ reference: `Task/${incidentA}` }] });
    expect((await planOn(a, tokenA, incidentA)).contributions[0]?.isWaitingToUpload).toBe(false);
    // The other vehicle sees it after its own sync.
    await b.value('sync.run', {}, tokenB);
    expect((await planOn(b, tokenB, INCIDENT_B)).contributions.map((c) => c.text)).toContain('Plan followed. Anticipatory medicines given as the plan says');
    // Audited with its purpose, and so was the refused attempt for a patient not on the incident.
    const audit = (await a.value('audit.mine', { limit: 50 }, tokenA)).entries.filter((e) => e.action === 'careplan.contribute');
    expect(audit).toEqual([
      expect.objectContaining({ patientId: PATIENT, outcome: 'success', purpose: `incident ${incidentA}: plan-used CarePlan/${PLAN}` }),
      expect.objectContaining({ patientId: 'pat-000002', outcome: 'failure' }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('Anticipatory');
  });
});

describe('two vehicles edit one care plan', () => {
  it('keeps both versions for review, shows both field by field, and combines the notes', async () => {
    const notesBefore = (await centralPlan()).note?.length ?? 0;
    await a.value('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: incidentA, kind: 'crew-information', text: 'Key safe code 4321, by the back door' }, tokenA);
    await b.value('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: INCIDENT_B, kind: 'crew-information', text: 'Daughter now lives next door, 07700 900123' }, tokenB);
    expect((await planOn(b, tokenB, INCIDENT_B)).isWaitingToUpload).toBe(true);
    await a.value('sync.run', {}, tokenA);
    const status = await b.value('sync.run', {}, tokenB);
    expect(status).toMatchObject({ conflicts: 1, lastFailure: { reason: 'conflict' } });
    const [conflict] = (await b.value('conflicts.list', {}, tokenB)).conflicts;

    // Nothing blind: both versions' values, who changed the field, and what can be done.
    const detail = await b.value('conflicts.open', { conflictId: conflict!.conflictId }, tokenB);
    expect(detail).toMatchObject({ title: expect.stringMatching(/^Care plan: /), patient: { patientId: PATIENT }, isThreeWay: true, combine: { isPossible: true } });
    const notes = detail.fields.find((f) => f.field === 'note')!;
    expect(notes).toMatchObject({ label: 'Notes', kind: 'list', changedBy: 'both' });
    expect(notes.local).toContain('Daughter now lives next door, 07700 900123');
    expect(notes.server).toContain('Key safe code 4321, by the back door');
    expect(notes.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ text: 'Key safe code 4321, by the back door', side: 'central', by: expect.any(String), at: expect.any(String) }),
      expect.objectContaining({ text: 'Daughter now lives next door, 07700 900123', side: 'device' }),
    ]));
    // Someone without the patient's access rule sees nothing of it.
    const handler = await b.signIn('demo-call-handler-1', '333333');
    expect(await b.call('conflicts.open', { conflictId: conflict!.conflictId }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await b.value('conflicts.resolve', { conflictId: conflict!.conflictId, choice: 'combine' }, tokenB);
    expect((await b.value('sync.run', {}, tokenB)).conflicts).toBe(0);
    const texts = ((await centralPlan()).note ?? []).map((n) => n.text);
    expect(texts).toHaveLength(notesBefore + 2);
    expect(texts).toEqual(expect.arrayContaining(['Key safe code 4321, by the back door', 'Daughter now lives next door, 07700 900123']));
    const audit = (await b.value('audit.mine', { limit: 50 }, tokenB)).entries.filter((e) => e.action === 'conflict.open' || e.action === 'conflict.resolve');
    expect(audit.map((e) => [e.action, e.outcome])).toEqual(expect.arrayContaining([['conflict.open', 'success'], ['conflict.resolve', 'success']]));
  });

  it('takes theirs: the central record’s version stands and nothing of ours is sent', async () => {
    await a.value('sync.run', {}, tokenA); // both devices start from the combined version
    await a.value('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: incidentA, kind: 'crew-information', text: 'Ramp at the side entrance' }, tokenA);
    await b.value('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: INCIDENT_B, kind: 'crew-information', text: 'Ring twice' }, tokenB);
    await a.value('sync.run', {}, tokenA);
    await b.value('sync.run', {}, tokenB);
    const [conflict] = (await b.value('conflicts.list', {}, tokenB)).conflicts;
    const version = (await centralPlan()).meta?.versionId;
    await b.value('conflicts.resolve', { conflictId: conflict!.conflictId, choice: 'keep-server' }, tokenB);
    await b.value('sync.run', {}, tokenB);
    const central = await centralPlan();
    expect(central.meta?.versionId).toBe(version);
    expect((central.note ?? []).map((n) => n.text)).not.toContain('Ring twice');
    expect((await planOn(b, tokenB, INCIDENT_B)).notes).toContain('Ramp at the side entrance');
    // No clinical text in either device's log lines.
    for (const phrase of ['Key safe', 'Daughter', 'Ring twice', 'Anticipatory']) expect(LOG.join('\n')).not.toContain(phrase);
  });
});
