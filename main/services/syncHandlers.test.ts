import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CarePlan, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, ParamsOf, ResultOf } from '../../contract/methods';
import { type TestCore, startCore } from './testCalls';

// Issue #6 through the real dispatcher: purges are audited and listed, conflicts are reviewed.
let core: TestCore;
let token: string;

async function call<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken = token) {
  return core.dispatch({ method, params, sessionToken }) as Promise<{ ok: true; value: ResultOf<M> } | { ok: false; error: { code: string; message: string } }>;
}
async function value<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken = token): Promise<ResultOf<M>> {
  const result = await call(method, params, sessionToken);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}`);
  return result.value;
}

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-sync-handlers-'));
  core = await startCore(dataDir, [], null, { config: { incidentGraceMs: 0 }, sandboxOptions: { patients: 20, seed: 1 } });
  token = (await value('session.signIn', { userId: 'demo-paramedic-1', pin: '111111' }, '')).sessionToken;
  expect((await value('sync.run', {})).lastFailure).toBeNull();
});
afterAll(async () => {
  await core?.close();
});

describe('purge visibility', () => {
  it('lists a purged patient for the user and audits the purge', async () => {
    const sandbox = core.sandbox!;
    const task = await sandbox.repo.readResource<Task>('Task', 'task-000003-active');
    await sandbox.repo.updateResource<Task>({ ...task, status: 'completed' });
    const status = await value('sync.run', {});
    expect(status.recentlyPurged).toBe(1);
    const { items } = await value('purged.list', { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ patientId: 'pat-000003', reason: 'left-scope', scopes: ['incident'] })]);
    const audit = await value('audit.mine', { limit: 20 });
    expect(audit.entries.some((e) => e.action === 'purge' && e.patientId === 'pat-000003')).toBe(true);
    // Per-patient rule (issue #9): a call handler and an administrator learn nothing of an incident patient's purge.
    for (const who of [{ userId: 'demo-call-handler-1', pin: '333333' }, { userId: 'demo-admin-1', pin: '555555' }]) {
      const other = (await value('session.signIn', who, '')).sessionToken;
      expect((await value('purged.list', { limit: 10 }, other)).items).toEqual([]);
    }
  });
});

describe('conflict review', () => {
  it('shows a conflict without clinical values and lets a clinician keep the server version', async () => {
    const sandbox = core.sandbox!;
    const plan = await sandbox.repo.readResource<CarePlan>('CarePlan', 'careplan-000001-eol');
    await core.services.store.requireSync().recordLocal({ ...plan, description: 'Edited on the vehicle' });
    await sandbox.repo.updateResource<CarePlan>({ ...plan, description: 'Edited by the hospice' });
    const status = await value('sync.run', {});
    expect(status).toMatchObject({ conflicts: 1, lastFailure: { reason: 'conflict' } });
    const { conflicts } = await value('conflicts.list', {});
    expect(conflicts).toEqual([expect.objectContaining({ resourceType: 'CarePlan', resourceId: 'careplan-000001-eol', changedFields: ['description'] })]);
    expect(JSON.stringify(conflicts)).not.toContain('Edited');

    const handler = (await value('session.signIn', { userId: 'demo-call-handler-1', pin: '333333' }, '')).sessionToken;
    // Per-patient rule (issue #9): the call handler has no purpose for this incident patient, so sees no conflict.
    expect((await value('conflicts.list', {}, handler)).conflicts).toEqual([]);
    expect(await call('conflicts.resolve', { conflictId: conflicts[0]!.conflictId, choice: 'keep-server' }, handler)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Only clinicians and paramedics can decide between two versions of a record.' },
    });
    const clinician = (await value('session.signIn', { userId: 'demo-clinician-1', pin: '444444' }, '')).sessionToken;
    expect((await value('conflicts.list', {}, clinician)).conflicts).toHaveLength(1);
    expect(await call('conflicts.resolve', { conflictId: 'no-such-conflict', choice: 'keep-server' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await value('conflicts.resolve', { conflictId: conflicts[0]!.conflictId, choice: 'keep-server' });
    expect((await value('conflicts.list', {})).conflicts).toEqual([]);
    expect((await value('sync.status', {})).conflicts).toBe(0);
    // Every resolution is audited, with the patient, the choice and the resource, and no clinical value.
    const entries = (await value('audit.mine', { limit: 50 })).entries.filter((e) => e.action === 'conflict.resolve');
    expect(entries).toEqual([
      expect.objectContaining({ userId: 'demo-paramedic-1', patientId: conflicts[0]!.patientId, purpose: expect.stringMatching(/^incident task-\S+: keep-server CarePlan\/careplan-000001-eol$/), outcome: 'success' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('Edited');
  });
});
