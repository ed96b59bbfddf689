import type { Observation, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRepo } from '../../db/outboxRepo';
import { createResourceRepo } from '../../db/resourceRepo';
import { openConnection } from '../../db/storage/connection';
import { DEMO_INCIDENTS, DEMO_USERS } from '../../sandbox/demoCast';
import { openKeyVault } from '../security/keyVault';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #14: sync.detail and a record's own sync state, through the dispatcher, against the real
// sandbox over HTTP and a real encrypted store. Offline is the sandbox's fault switch.
const byRole = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const GRACE_MS = 1_500;
let core: TestCore;
let dataDir: string;
const { call, value, signIn } = caller(() => core);
let medic: string;
type Shown = Readonly<{ incidentId: string; patientId: string; name: string; nhsNumber: string }>;
let first: Shown;
let other: Shown;

const accessesTo = (nhsNumber: string) => {
  const log = core.store().audit;
  return log.forPatients(log.patientIdsForNhsNumber(nhsNumber), 1000).map((r) => r.action);
};

beforeAll(async () => {
  dataDir = tempDataDir('sync-detail');
  core = await startCore(dataDir, [], null, { config: { incidentGraceMs: GRACE_MS } });
  medic = await signIn(byRole('paramedic').userId, byRole('paramedic').pin);
  expect((await value('sync.run', {}, medic)).lastFailure).toBeNull();
  const { incidents } = await value('incidents.list', {}, medic);
  const shown = incidents.filter((i) => i.patient).map((i) => ({ incidentId: i.incidentId, patientId: i.patient!.patientId, name: i.patient!.name, nhsNumber: i.patient!.nhsNumber! }));
  [first, other] = shown as [Shown, Shown];
  expect(other).toBeDefined();
});
afterAll(async () => {
  core?.sandbox?.faults.setOffline(false);
  await core?.close();
});

describe('sync.detail', () => {
  it('lists an upload waiting while offline: what, for whom, since when, why — audited naming the patient', async () => {
    core.sandbox!.faults.setOffline(true);
    const obs = { resourceType: 'Observation', id: 'obs-sync-detail-1', status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${first.patientId}` }, valueQuantity: { value: 90, unit: 'beats/min' } } satisfies Observation;
    await core.services.store.requireSync().recordLocal(obs);
    const status = await value('sync.run', {}, medic);
    expect(status.state).toBe('offline');
    const before = accessesTo(first.nhsNumber).filter((a) => a === 'sync.detail').length;
    const detail = await value('sync.detail', {}, medic);
    expect(detail.uploads).toEqual([expect.objectContaining({ what: 'Observation', patientName: first.name, why: 'offline', whyText: expect.stringMatching(/No signal/) })]);
    expect(detail.lastFailure).toMatchObject({ reason: 'offline', whatToDo: expect.stringMatching(/keeps trying/) });
    expect(detail.scopes.find((s) => s.scope === 'incident')).toMatchObject({ label: 'Incident patients', patients: 3 });
    expect(accessesTo(first.nhsNumber).filter((a) => a === 'sync.detail')).toHaveLength(before + 1);
  });

  it('shows the record’s own state: changes waiting to upload, up to date as of the last complete pull', async () => {
    const record = await value('record.open', { patientId: first.patientId, incidentId: first.incidentId }, medic);
    expect(record.syncState).toMatchObject({ pendingUploads: 1, pendingKinds: ['Observation'], conflicts: [] });
    expect(Date.parse(record.syncState!.upToDateAt!)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('names nobody a call handler may not see: counted, never listed', async () => {
    const handler = await signIn(byRole('call-handler').userId, byRole('call-handler').pin);
    const detail = await value('sync.detail', {}, handler);
    expect(detail.uploads).toEqual([]);
    expect(detail.notShown.uploads).toBe(1);
    expect(JSON.stringify(detail)).not.toContain(first.name);
    const admin = await signIn(byRole('administrator').userId, byRole('administrator').pin);
    expect(await call('sync.detail', {}, admin)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('answers nothing when its audit entry cannot be written (no entry, no data)', async () => {
    const key = await openKeyVault(dataDir).unlock(byRole('paramedic').userId, byRole('paramedic').pin);
    const attacker = openConnection({ directory: dataDir, key: key! }, 'onscene').db;
    attacker.exec("CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    let answer;
    try {
      answer = await call('sync.detail', {}, medic);
    } finally {
      attacker.exec('DROP TRIGGER inject_failure');
      attacker.close();
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'audit-failed' } });
    expect(JSON.stringify(answer)).not.toContain(first.name);
  });

  it('purges an incident patient whose handover time ends while offline, and the open record and the detail say why', async () => {
    core.sandbox!.faults.setOffline(false);
    const taskId = DEMO_INCIDENTS.k101.find((t) => t === other.incidentId)!;
    const task = await core.sandbox!.repo.readResource<Task>('Task', taskId);
    await core.sandbox!.repo.updateResource({ ...task, owner: { reference: 'Device/vehicle-K202' } });
    expect((await value('sync.run', {}, medic)).lastFailure).toBeNull(); // the incident left: the handover time starts
    core.sandbox!.faults.setOffline(true);
    const obs = { resourceType: 'Observation', id: 'obs-sync-detail-2', status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${other.patientId}` }, valueQuantity: { value: 80, unit: 'beats/min' } } satisfies Observation;
    await core.services.store.requireSync().recordLocal(obs);
    await new Promise((r) => setTimeout(r, GRACE_MS + 500));
    expect((await value('sync.run', {}, medic)).state).toBe('offline'); // the offline purge runs after the failed run
    const opened = await call('record.open', { patientId: other.patientId, incidentId: other.incidentId }, medic);
    expect(opened).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/^This record was removed from this device at \d{2}:\d{2} on .+The incident was closed or given to another vehicle/) } });
    const detail = await value('sync.detail', {}, medic);
    expect(detail.purged[0]).toMatchObject({ patientId: other.patientId, reason: 'left-scope', scopes: ['incident'], whyText: expect.stringMatching(/incident was closed/) });
    // The crew's unsynced observation for that patient is never purged: still queued, still cached.
    expect((await createOutboxRepo(core.store()).all()).map((e) => e.key)).toEqual(['Observation/obs-sync-detail-2']);
    expect(await createResourceRepo(core.store()).get('Observation', 'obs-sync-detail-2')).not.toBeNull();
    // Listed, unnamed: the patient's details left the device, the crew's work did not.
    expect(detail.uploads).toEqual([expect.objectContaining({ key: 'Observation/obs-sync-detail-2', patientName: null, why: 'offline' })]);
    expect(detail.notShown.uploads).toBe(0);
  });
});
