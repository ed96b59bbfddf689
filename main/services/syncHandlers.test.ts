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
  token = (await value('session.signIn', { userId: 'demo-paramedic-1', pin: '1111' }, '')).sessionToken;
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

    const handler = (await value('session.signIn', { userId: 'demo-call-handler-1', pin: '3333' }, '')).sessionToken;
    expect(await call('conflicts.resolve', { conflictId: conflicts[0]!.conflictId, choice: 'keep-server' }, handler)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Only clinicians and paramedics can decide between two versions of a record.' },
    });
    expect(await call('conflicts.resolve', { conflictId: 'no-such-conflict', choice: 'keep-server' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await value('conflicts.resolve', { conflictId: conflicts[0]!.conflictId, choice: 'keep-server' });
    expect((await value('conflicts.list', {})).conflicts).toEqual([]);
    expect((await value('sync.status', {})).conflicts).toBe(0);
    // Every resolution is audited, with the patient, the choice and the resource, and no clinical value.
    const entries = (await value('audit.mine', { limit: 50 })).entries.filter((e) => e.action === 'conflict.resolve');
    expect(entries).toEqual([
      expect.objectContaining({ userId: 'demo-paramedic-1', patientId: conflicts[0]!.patientId, purpose: 'keep-server: CarePlan/careplan-000001-eol', outcome: 'success' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('Edited');
  });
});
