import type { Consent, Flag, Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../core/fhirCodes';
import { createScopeRepo } from '../../db/scopeRepo';
import { SEARCH_HOLD_MS } from '../../sync/searchScope';
import type { TestCore } from './testCalls';
import { caller, startCore, tempDataDir } from './testCalls';

// patients.lookup through the real dispatcher, with the sandbox over HTTP as the central record:
// an uncached NHS number is searched online, held for search and brought whole before the answer.
let core: TestCore;
const logLines: string[] = [];
const { call, value, signIn } = caller(() => core);
const CALL = { kind: 'call' as const, callReference: 'CALL-2026-0042' };
const nhsNumberOf = (p: Patient) => p.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value ?? '';

/** Sandbox patients on no K101 incident (open or closed): not cached by this device's sync. */
async function notOnK101(): Promise<(Patient & { id: string })[]> {
  const sandbox = core.sandbox!;
  const assigned = new Set((await sandbox.repo.search<Task>('Task', { owner: 'Device/vehicle-K101' })).map((t) => t.for?.reference));
  return (await sandbox.repo.search<Patient>('Patient', { _count: '200' })).filter((p) => !assigned.has(`Patient/${p.id}`));
}

/** Gives `patientId` a DNACPR-style Consent and an alert Flag (copies of an incident patient's), if it has none. */
async function withConsentAndFlag(patientId: string): Promise<void> {
  const sandbox = core.sandbox!;
  const subject = { reference: `Patient/${patientId}` };
  if ((await sandbox.repo.search('Consent', { patient: subject.reference })).length === 0) {
    const [template] = await sandbox.repo.search<Consent>('Consent', { _count: '1' });
    const { id: _id, meta: _meta, ...rest } = template!;
    await sandbox.repo.createResource<Consent>({ ...rest, patient: subject });
  }
  if ((await sandbox.repo.search('Flag', { patient: subject.reference })).length === 0) {
    const [template] = await sandbox.repo.search<Flag>('Flag', { _count: '1' });
    const { id: _id, meta: _meta, ...rest } = template!;
    await sandbox.repo.createResource<Flag>({ ...rest, subject });
  }
}

beforeAll(async () => {
  core = await startCore(tempDataDir('patient-lookup'), logLines);
});
afterAll(async () => {
  await core?.close();
});

describe('patients.lookup searches the central record for an uncached NHS number', () => {
  it('finds a patient on no incident of this vehicle, holds it for search and has its Consent and Flags local on return', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    await value('calls.start', { callReference: CALL.callReference }, token); // issue #13: the call is the purpose
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const [target] = await notOnK101();
    await withConsentAndFlag(target!.id);
    const repo = core.services.store.repo();
    expect(await repo.get('Patient', target!.id)).toBeNull();

    const before = Date.now();
    const { patients } = await value('patients.lookup', { nhsNumber: nhsNumberOf(target!), purpose: CALL }, token);
    expect(patients).toEqual([expect.objectContaining({ patientId: target!.id, nhsNumber: nhsNumberOf(target!), needsBreakGlass: false })]);

    // Whole, safety tier included, by the time the answer is back.
    const local = (await repo.forPatient(target!.id)).map(({ resource }) => `${resource.resourceType}/${resource.id}`);
    for (const type of ['Consent', 'Flag'] as const) {
      const onServer = await core.sandbox!.repo.search(type, { patient: `Patient/${target!.id}` });
      expect(onServer.length).toBeGreaterThan(0);
      for (const r of onServer) expect(local).toContain(`${type}/${r.id}`);
    }
    const scope = await createScopeRepo(core.store()).get(target!.id);
    expect(scope?.holds).toEqual([expect.objectContaining({ scope: 'search', pending: [] })]);
    const untilMs = Date.parse(scope!.holds[0]!.untilAt);
    expect(untilMs).toBeGreaterThan(before + SEARCH_HOLD_MS - 60_000);
    expect(untilMs).toBeLessThan(Date.now() + SEARCH_HOLD_MS + 60_000);
    expect(scope?.consentConfirmedAt).not.toBe('');

    // What was found can be opened for this call; the search is audited with its purpose.
    const view = await value('record.openWithPurpose', { patientId: target!.id, purpose: CALL }, token);
    expect(view.patient.patientId).toBe(target!.id);
    const entries = (await value('audit.mine', { limit: 50 }, token)).entries;
    expect(entries.some((e) => e.action === 'patients.search' && e.purpose === `call ${CALL.callReference}` && e.outcome === 'success')).toBe(true);
    expect(logLines.join('\n')).not.toContain(nhsNumberOf(target!));
  });

  it('an unknown number online: nobody found and nothing held', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    await value('calls.start', { callReference: CALL.callReference }, token); // issue #13: the call is the purpose
    const before = (await createScopeRepo(core.store()).all()).length;
    expect(await value('patients.lookup', { nhsNumber: '9000000009', purpose: CALL }, token)).toEqual({ patients: [] });
    expect((await createScopeRepo(core.store()).all()).length).toBe(before);
  });

  it('offline: an uncached number answers from the cache (found: []), audited, and the status says offline', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    await value('calls.start', { callReference: CALL.callReference }, token); // issue #13: the call is the purpose
    const candidates = await notOnK101();
    const repo = core.services.store.repo();
    let uncached: Patient | null = null;
    for (const p of candidates) if (!(await repo.get('Patient', p.id))) uncached = p;
    expect(uncached).not.toBeNull();
    const searchesBefore = (await value('audit.mine', { limit: 200 }, token)).entries.filter((e) => e.action === 'patients.search').length;
    core.sandbox!.faults.setOffline(true);
    try {
      const started = Date.now();
      expect(await value('patients.lookup', { nhsNumber: nhsNumberOf(uncached!), purpose: CALL }, token)).toEqual({ patients: [] });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await value('sync.status', {}, token)).isOnline).toBe(false);
      expect(await repo.get('Patient', uncached!.id!)).toBeNull();
      expect(await createScopeRepo(core.store()).get(uncached!.id!)).toBeNull();
      const searchesAfter = (await value('audit.mine', { limit: 200 }, token)).entries.filter((e) => e.action === 'patients.search').length;
      expect(searchesAfter).toBe(searchesBefore + 1);
    } finally {
      core.sandbox!.faults.setOffline(false);
    }
  });

  it('a call handler without a call reference is refused before anything is searched', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    const [target] = await notOnK101();
    expect(await call('patients.lookup', { nhsNumber: nhsNumberOf(target!), purpose: null }, token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
