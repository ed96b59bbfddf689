import type { Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ENTRIES, type ObservationEntries, type TriageView } from '../../core/triageViews';
import type { OutboxDoc } from '../../db/schemas';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #13: an unidentified patient's triage linked to the patient found, before and after upload,
// over real HTTP to the sandbox. Nothing recorded is ever lost; undo works only before upload.
const medic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!;
let core: TestCore;
const { call, value, signIn } = caller(() => core);
let token: string;
let realId: string;
let incidentId: string;
const SET: ObservationEntries = { ...EMPTY_ENTRIES, respirationRate: '22', spo2: '95', onOxygen: false, systolicBp: '105', diastolicBp: '70', pulse: '112', consciousness: 'A', temperatureC: '38.4' };

beforeAll(async () => {
  core = await startCore(tempDataDir('triage-link'));
  token = await signIn(medic.userId, medic.pin);
  expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
  const incident = (await value('incidents.list', {}, token)).incidents.find((i) => i.patient !== null)!;
  realId = incident.patient!.patientId;
  incidentId = incident.incidentId;
}, 60_000);
afterAll(async () => {
  await core?.close();
});

async function unidentifiedWithOneSet(): Promise<TriageView> {
  const started = await value('triage.startUnidentified', { incidentId, description: 'Woman collapsed at bus stop', gender: 'female', estimatedAge: 'about 40' }, token);
  const setId = started.sets.at(-1)?.setId ?? (await value('triage.addSet', { triageId: started.triageId }, token)).sets.at(-1)!.setId;
  await value('triage.saveSet', { triageId: started.triageId, setId, takenAt: new Date().toISOString(), entries: SET, spo2Scale: { scale: 1 } }, token);
  return value('triage.recordSet', { triageId: started.triageId, setId, correction: null }, token);
}
const queued = async () => (await core.store().outbox.find().exec()).map((d) => d.toJSON() as OutboxDoc);
const subjectsOf = (entries: OutboxDoc[], ids: readonly string[]) => entries.filter((e) => ids.includes(e.resourceId)).map((e) => [e.patientId, JSON.stringify(e.resource).match(/"reference":"Patient\/([^"]+)"/)?.[1]]);

describe('linking an unidentified patient', () => {
  it('before upload: moves every queued entry to the found patient, can be undone, and uploads nothing lost', async () => {
    const recorded = await unidentifiedWithOneSet();
    const tempId = recorded.patient.patientId;
    expect(recorded.patient.isUnidentified).toBe(true);
    const before = await queued();
    const episodeIds = before.filter((e) => e.patientId === tempId && e.resourceType !== 'Patient').map((e) => e.resourceId);
    expect(episodeIds.length).toBe(9); // the encounter, seven observations and NEWS2

    const linked = await value('triage.linkPatient', { triageId: recorded.triageId, patientId: realId }, token);
    expect(linked).toMatchObject({ patient: { patientId: realId, isUnidentified: false }, linkedFrom: { canUndo: true } });
    expect(linked.sets).toHaveLength(1);
    const after = await queued();
    expect(subjectsOf(after, episodeIds)).toEqual(episodeIds.map(() => [realId, realId]));
    const temp = after.find((e) => e.resourceId === tempId)!.resource as unknown as Patient;
    expect(temp).toMatchObject({ active: false, link: [{ type: 'replaced-by', other: { reference: `Patient/${realId}` } }] });
    // The cached copies move too: the real patient's triage list and record show the set.
    expect((await value('triage.list', { patientId: realId }, token)).triages.map((t) => t.triageId)).toContain(recorded.triageId);

    const undone = await value('triage.unlinkPatient', { triageId: recorded.triageId }, token);
    expect(undone).toMatchObject({ patient: { patientId: tempId, isUnidentified: true }, linkedFrom: null });
    expect(subjectsOf(await queued(), episodeIds)).toEqual(episodeIds.map(() => [tempId, tempId]));
    expect(((await queued()).find((e) => e.resourceId === tempId)!.resource as { active?: boolean; link?: unknown }).link).toBeUndefined();

    await value('triage.linkPatient', { triageId: recorded.triageId, patientId: realId }, token);
    expect((await value('sync.run', {}, token)).pendingUploads).toBe(0);
    const onServer = await core.sandbox!.repo.search<Observation>('Observation', { encounter: `Encounter/${recorded.triageId}` });
    expect(onServer).toHaveLength(8);
    for (const obs of onServer) expect(obs.subject?.reference).toBe(`Patient/${realId}`);
    expect((await core.sandbox!.repo.readResource<Patient>('Patient', tempId)).link?.[0]?.other.reference).toBe(`Patient/${realId}`);
    // Uploaded: the link can no longer be undone here.
    expect((await value('triage.open', { triageId: recorded.triageId }, token)).linkedFrom?.canUndo).toBe(false);
    expect(await call('triage.unlinkPatient', { triageId: recorded.triageId }, token)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('after upload: marks the temporary Patient replaced-by the real one and sends amended observations', async () => {
    const recorded = await unidentifiedWithOneSet();
    const tempId = recorded.patient.patientId;
    expect((await value('sync.run', {}, token)).pendingUploads).toBe(0);
    const linked = await value('triage.linkPatient', { triageId: recorded.triageId, patientId: realId }, token);
    expect(linked.linkedFrom).toMatchObject({ canUndo: false });
    expect((await value('sync.run', {}, token)).pendingUploads).toBe(0);
    const onServer = await core.sandbox!.repo.search<Observation>('Observation', { encounter: `Encounter/${recorded.triageId}` });
    expect(onServer).toHaveLength(8);
    for (const obs of onServer) expect([obs.subject?.reference, obs.status]).toEqual([`Patient/${realId}`, 'amended']);
    expect((await core.sandbox!.repo.readResource<Patient>('Patient', tempId))).toMatchObject({ active: false, link: [{ type: 'replaced-by' }] });
    // The encounter was still in progress, so it moved too.
    expect((await core.sandbox!.repo.readResource('Encounter', recorded.triageId)) as { subject?: { reference?: string } }).toMatchObject({ subject: { reference: `Patient/${realId}` } });
    expect(await call('triage.unlinkPatient', { triageId: recorded.triageId }, token)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('refuses to link an identified patient’s triage, or to a patient the user may not open', async () => {
    const started = await value('triage.start', { patientId: realId, incidentId }, token);
    expect(await call('triage.linkPatient', { triageId: started.triageId, patientId: realId }, token)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const other = await value('triage.startUnidentified', { incidentId, description: 'Man found on the street', gender: 'male', estimatedAge: '' }, token);
    const stranger = (await core.services.store.repo().ofType<Patient>('Patient')).find((p) => p.resource.id !== realId && !p.resource.meta?.tag?.length)!.resource.id!;
    expect(await call('triage.linkPatient', { triageId: other.triageId, patientId: stranger }, token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
