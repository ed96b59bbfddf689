import type { Composition, Encounter, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observationIds } from '../../core/triageFhir';
import { EMPTY_DISPOSITION, EMPTY_ENTRIES, EMPTY_HANDOVER, type ObservationEntries, type TriageView } from '../../core/triageViews';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #12, over real HTTP to the sandbox: what a crew records reaches the central record as
// FHIR with the right codes, subject and links, and a correction arrives as a new version.
const medic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!;
const colleagueElsewhere = DEMO_USERS.find((u) => u.role === 'call-handler')!;
let core: TestCore;
const { call, value, signIn } = caller(() => core);
let token: string;
let patientId: string;
let incidentId: string;

const SET_1: ObservationEntries = { ...EMPTY_ENTRIES, respirationRate: '22', spo2: '95', onOxygen: false, systolicBp: '105', diastolicBp: '70', pulse: '112', consciousness: 'A', temperatureC: '38.4' };

beforeAll(async () => {
  core = await startCore(tempDataDir('triage'));
  token = await signIn(medic.userId, medic.pin);
  expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
  const { incidents } = await value('incidents.list', {}, token);
  const incident = incidents.find((i) => i.patient !== null)!;
  patientId = incident.patient!.patientId;
  incidentId = incident.incidentId;
}, 60_000);
afterAll(async () => {
  await core?.close();
});

const setOf = (view: TriageView, index: number) => view.sets[index]!;

async function recordSet(triageId: string, entries: ObservationEntries, takenAt: string): Promise<TriageView> {
  const added = await value('triage.addSet', { triageId }, token);
  const setId = added.sets.at(-1)!.setId;
  await value('triage.saveSet', { triageId, setId, takenAt, entries, spo2Scale: { scale: 1 } }, token);
  return value('triage.recordSet', { triageId, setId, correction: null }, token);
}

describe('triage for an incident patient, pushed to the central record', () => {
  let triageId: string;

  it('keeps a set exactly as typed, refuses implausible values at recording, and scores NEWS2 from the chart', async () => {
    const started = await value('triage.start', { patientId, incidentId }, token);
    triageId = started.triageId;
    expect(started).toMatchObject({ state: 'in-progress', incidentId, patient: { patientId, isUnidentified: false }, sets: [], waitingToUpload: 0 });
    const added = await value('triage.addSet', { triageId }, token);
    const setId = setOf(added, 0).setId;
    const typo = await value('triage.saveSet', { triageId, setId, takenAt: '2026-12-03T10:15:00Z', entries: { ...SET_1, respirationRate: '220' }, spo2Scale: { scale: 1 } }, token);
    expect(setOf(typo, 0).entries.respirationRate).toBe('220');
    expect(setOf(typo, 0).problems).toEqual([{ field: 'respirationRate', message: 'Respiration rate must be between 0 and 80 breaths a minute' }]);
    expect(await call('triage.recordSet', { triageId, setId, correction: null }, token)).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('between 0 and 80') } });
    const fixed = await value('triage.saveSet', { triageId, setId, takenAt: '2026-12-03T10:15:00Z', entries: SET_1, spo2Scale: { scale: 1 } }, token);
    expect(setOf(fixed, 0).news2).toMatchObject({ isComplete: true, total: 7, band: 'high' });
    const recorded = await value('triage.recordSet', { triageId, setId, correction: null }, token);
    expect(setOf(recorded, 0)).toMatchObject({ status: 'final', upload: 'waiting' });
    expect(recorded.waitingToUpload).toBe(9); // the encounter, seven parameter observations and the NEWS2 total
    // Recorded means recorded: a plain save is refused, nothing changes silently.
    expect(await call('triage.saveSet', { triageId, setId, takenAt: '2026-12-03T10:15:00Z', entries: { ...SET_1, pulse: '90' }, spo2Scale: { scale: 1 } }, token)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('records two more sets, a disposition and the handover, and the sandbox holds them after a sync', async () => {
    await recordSet(triageId, { ...SET_1, respirationRate: '18', pulse: '98', temperatureC: '37.9' }, '2026-12-03T10:30:00Z');
    await recordSet(triageId, { ...SET_1, respirationRate: '16', pulse: '88', temperatureC: '' }, '2026-12-03T10:45:00Z');
    await value('triage.saveDisposition', { triageId, disposition: { ...EMPTY_DISPOSITION, outcome: 'conveyed', destination: 'Royal Test Hospital, emergency department', notes: 'Pre-alert given' } }, token);
    await value('triage.saveHandover', { triageId, handover: { ...EMPTY_HANDOVER, timeOfOnset: 'About 09:50', mechanism: 'Shortness of breath and fever', treatment: 'Paracetamol 1 g oral' } }, token);
    const finished = await value('triage.finish', { triageId }, token);
    expect(finished).toMatchObject({ state: 'finished', handover: { status: 'final' } });
    expect(finished.handover.signs[0]).toContain('respiration 16');
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const after = await value('triage.open', { triageId }, token);
    expect(after.waitingToUpload).toBe(0);
    expect(after.sets.map((s) => s.upload)).toEqual(['uploaded', 'uploaded', 'uploaded']);

    const repo = core.sandbox!.repo;
    const encounter = await repo.readResource<Encounter>('Encounter', triageId);
    expect(encounter).toMatchObject({ status: 'finished', subject: { reference: `Patient/${patientId}` } });
    expect(JSON.stringify(encounter)).toContain(incidentId);
    expect(JSON.stringify(encounter.hospitalization)).toContain('Royal Test Hospital');
    const ids = observationIds(setOf(after, 0).setId);
    const rate = await repo.readResource<Observation>('Observation', ids.respirationRate);
    expect(rate).toMatchObject({ status: 'final', subject: { reference: `Patient/${patientId}` }, encounter: { reference: `Encounter/${triageId}` }, valueQuantity: { value: 22, system: 'http://unitsofmeasure.org', code: '/min' } });
    expect(rate.code.coding).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'http://loinc.org', code: '9279-1' })]));
    const news2 = await repo.readResource<Observation>('Observation', ids.news2);
    expect(news2.code.coding).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'http://snomed.info/sct', code: '1104051000000101' })]));
    expect(news2.valueQuantity?.value).toBe(7);
    expect(news2.component).toHaveLength(7);
    // The third set had no temperature: no NEWS2 total was sent for it.
    await expect(repo.readResource<Observation>('Observation', observationIds(setOf(after, 2).setId).news2)).rejects.toThrow();
    const handover = await repo.readResource<Composition>('Composition', `${triageId}-handover`);
    expect(handover).toMatchObject({ status: 'final', subject: { reference: `Patient/${patientId}` }, encounter: { reference: `Encounter/${triageId}` } });
    expect(JSON.stringify(handover.section)).toContain('Paracetamol 1 g oral');
  }, 60_000);

  it('a correction is a new version on the central record, amended with its reason; the handover is amended too', async () => {
    const view = await value('triage.open', { triageId }, token);
    const setId = setOf(view, 0).setId;
    await value('triage.correctSet', { triageId, setId }, token);
    await value('triage.saveSet', { triageId, setId, takenAt: setOf(view, 0).takenAt, entries: { ...SET_1, pulse: '102' }, spo2Scale: { scale: 1 }, correction: { status: 'amended', reason: 'Pulse misread' } }, token);
    // The correction's reason is kept as typed, like the values (a crash loses none of it).
    expect(setOf(await value('triage.open', { triageId }, token), 0).correctionDraft).toEqual({ status: 'amended', reason: 'Pulse misread' });
    const amended = await value('triage.recordSet', { triageId, setId, correction: { status: 'amended', reason: 'Pulse misread from the monitor' } }, token);
    expect(setOf(amended, 0)).toMatchObject({ status: 'amended', upload: 'waiting' });
    expect(setOf(amended, 0).versions.map((v) => [v.version, v.status, v.entries.pulse])).toEqual([[1, 'final', '112'], [2, 'amended', '102']]);
    expect(setOf(amended, 0).correctionDraft).toBeNull();
    expect(amended.handover.status).toBe('amended');
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const pulseId = observationIds(setId).pulse;
    const history = await core.sandbox!.repo.raw.readHistory<Observation>('Observation', pulseId);
    const versions = history.entry!.map((e) => e.resource!).reverse();
    expect(versions.map((o) => [o.status, o.valueQuantity?.value])).toEqual([['final', 112], ['amended', 102]]);
    expect(JSON.stringify(versions[1]!.note)).toContain('Pulse misread from the monitor');
    // Unchanged parameters were not re-sent.
    const rateHistory = await core.sandbox!.repo.raw.readHistory<Observation>('Observation', observationIds(setId).respirationRate);
    expect(rateHistory.entry).toHaveLength(1);
    expect((await core.sandbox!.repo.readResource<Composition>('Composition', `${triageId}-handover`)).status).toBe('amended');
  }, 60_000);

  it('a correction made before the original was uploaded still reaches the server as two versions', async () => {
    const started = await value('triage.start', { patientId, incidentId }, token);
    const recorded = await recordSet(started.triageId, SET_1, '2026-12-03T11:00:00Z');
    const setId = setOf(recorded, 0).setId;
    await value('triage.correctSet', { triageId: started.triageId, setId }, token);
    const withdrawn = await value('triage.recordSet', { triageId: started.triageId, setId, correction: { status: 'entered-in-error', reason: 'Wrong patient' } }, token);
    expect(setOf(withdrawn, 0).status).toBe('entered-in-error');
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const history = await core.sandbox!.repo.raw.readHistory<Observation>('Observation', observationIds(setId).pulse);
    expect(history.entry!.map((e) => e.resource!.status).reverse()).toEqual(['final', 'entered-in-error']);
    const shown = await value('triage.open', { triageId: started.triageId }, token);
    expect(shown.waitingToUpload).toBe(0);
  }, 60_000);
});

describe('who may record', () => {
  it('a call handler cannot start triage, and the refusal is audited', async () => {
    const handler = await signIn(colleagueElsewhere.userId, colleagueElsewhere.pin);
    expect(await call('triage.start', { patientId, incidentId }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const refused = core.store().audit.forPatients([patientId], 500).filter((r) => r.userId === colleagueElsewhere.userId && r.action === 'triage.write');
    expect(refused.length).toBeGreaterThan(0);
  });

  it('an unidentified patient is created on the device, recorded for by their creator only, and pushed', async () => {
    const started = await value('triage.startUnidentified', { incidentId, description: 'Man found collapsed at the bus station, about 40', gender: 'male', estimatedAge: 'about 40' }, token);
    expect(started.patient).toMatchObject({ isUnidentified: true, nhsNumber: null });
    expect(started.handover.age).toBe('about 40 (estimated: identity not verified)');
    await recordSet(started.triageId, SET_1, '2026-12-03T11:10:00Z');
    const other = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-2')!;
    const otherToken = await signIn(other.userId, other.pin);
    expect(await call('triage.open', { triageId: started.triageId }, otherToken)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const patient = await core.sandbox!.repo.readResource<Patient>('Patient', started.patient.patientId);
    expect(patient.identifier?.some((i) => i.system?.includes('nhs-number'))).toBe(false);
    expect(JSON.stringify(patient.name)).toContain('Man found collapsed');
  }, 60_000);

  it('printing the handover is audited before the page may print', async () => {
    const triageId = core.store().triage.forPatient(patientId)[0]!.doc.triageId;
    await value('triage.printed', { triageId }, token);
    const prints = core.store().audit.forPatients([patientId], 1000).filter((r) => r.userId === medic.userId && r.action === 'print');
    expect(prints.length).toBe(1);
  });

  it('every save is audited as a write with what was saved, never the values', async () => {
    const entries = core.store().audit.forPatients([patientId], 1000).filter((r) => r.userId === medic.userId && r.action === 'triage.write');
    expect(entries.length).toBeGreaterThan(10);
    expect(JSON.stringify(entries)).not.toContain('Paracetamol');
  });
});

describe('after the incident closes and the record is purged', () => {
  it('its author can still see and finish an episode with open work; a finished, uploaded one needs the incident or emergency access', async () => {
    const episodes = core.store().triage.forPatient(patientId).map((s) => s.doc);
    const open = episodes.find((d) => d.state === 'in-progress')!;
    const done = episodes.find((d) => d.state === 'finished')!;
    const before = await value('triage.open', { triageId: open.triageId }, token);
    await core.services.store.repo().removePatient(patientId);
    const after = await value('triage.open', { triageId: open.triageId }, token);
    expect(after.patient).toEqual(before.patient);
    expect(after.sets.length).toBe(before.sets.length);
    await value('triage.saveDisposition', { triageId: open.triageId, disposition: { ...EMPTY_DISPOSITION, outcome: 'home-with-advice' } }, token);
    expect((await value('triage.finish', { triageId: open.triageId }, token)).state).toBe('finished');
    expect(await call('triage.open', { triageId: done.triageId }, token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const other = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-2')!;
    expect(await call('triage.open', { triageId: open.triageId }, await signIn(other.userId, other.pin))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
