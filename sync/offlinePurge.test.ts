import type { Observation, Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonotonicReading } from '../core/purgeClock';
import { createOutboxRepo } from '../db/outboxRepo';
import { createResourceRepo } from '../db/resourceRepo';
import { type Sandbox, startSandbox } from '../sandbox/server';
import type { PurgeNotice } from './syncContext';
import { type TestClient, openTestClient } from './syncTestKit';

// Issue #14: holds that end while the device has no signal are purged on the purge clock (last
// server time + proven monotonic time), audited first, never early, and never taking a local
// write that is still waiting to upload. Real sandbox over HTTP, real encrypted SQLite store.
let sandbox: Sandbox;
let client: TestClient;
let mono = 1_000;
let wall = Date.now();
let isAuditRefused = false;
const audited: Array<PurgeNotice & { wasStillCached: boolean }> = [];
const HOUR = 3_600_000;
const monotonic = (): MonotonicReading => ({ epoch: 'test-boot', ms: mono });

async function searchTargets(count: number): Promise<string[]> {
  const assigned = new Set((await sandbox.repo.search<Task>('Task', { _count: '200' })).map((t) => t.for?.reference));
  const ids = (await sandbox.repo.search<Patient>('Patient', { _count: '200' })).filter((p) => !assigned.has(`Patient/${p.id}`)).map((p) => p.id as string);
  return ids.slice(0, count);
}

const isCached = async (patientId: string) => (await client.fingerprint()).has(`Patient/${patientId}`);

const observation = (id: string, patientId: string): Observation =>
  ({ resourceType: 'Observation', id, status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${patientId}` }, valueQuantity: { value: 96, unit: 'beats/min' } }) as Observation;

let shortHold = '';
let longHold = '';

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 30, seed: 17 });
  client = await openTestClient({
    baseUrl: sandbox.baseUrl,
    bearerToken: sandbox.serviceToken,
    pageSize: 50,
    maxAttempts: 2,
    monotonic,
    now: () => new Date(wall),
    onPurge: async (notice) => {
      if (isAuditRefused) throw new Error('audit log unavailable');
      // "Audited before removed": when the entry is written, the record is still on the device.
      audited.push({ ...notice, wasStillCached: await createResourceRepo(client.store).get('Patient', notice.patientId).then((r) => r !== null) });
    },
  });
  [shortHold = '', longHold = ''] = await searchTargets(2);
  await client.engine.holdForSearch(shortHold, 60_000);
  await client.engine.holdForSearch(longHold, 10 * HOUR);
  expect((await client.engine.run()).lastFailure).toBeNull();
});
afterAll(async () => {
  sandbox?.faults.setOffline(false);
  await client?.close();
  await sandbox?.close();
});

describe('offline purge', () => {
  it('purges nothing early when the device clock jumps forward while offline', async () => {
    expect(await isCached(shortHold)).toBe(true);
    sandbox.faults.setOffline(true);
    await client.engine.recordLocal(observation('obs-offline-purge-1', shortHold));
    wall += 2 * 24 * HOUR; // someone set the laptop's date two days ahead
    mono += 30_000; // but only 30 s have really passed
    const status = await client.engine.run();
    expect(status.state).toBe('offline');
    expect(status.pendingUploads).toBe(1);
    expect(await isCached(shortHold)).toBe(true);
    expect(audited).toEqual([]);
  });

  it('purges a hold that ended while offline, audited first, and keeps the unsynced write', async () => {
    wall -= 3 * 24 * HOUR; // and now the clock is a day behind: still irrelevant
    mono += 31_000; // 61 s since the last server answer: the 60 s hold has ended
    const status = await client.engine.run();
    expect(status.state).toBe('offline');
    expect(await isCached(shortHold)).toBe(false);
    expect(await isCached(longHold)).toBe(true);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ patientId: shortHold, reason: 'expired', wasStillCached: true });
    expect(audited[0]?.resourceCount).toBeGreaterThan(1);
    // The crew's observation is still on the device and still queued.
    expect((await client.fingerprint()).has('Observation/obs-offline-purge-1')).toBe(true);
    expect(await createOutboxRepo(client.store).count()).toBe(1);
    expect(status.pendingUploads).toBe(1);
    // Shown: the purge record the detail screen lists, and the count on the strip.
    const purged = await client.engine.purged();
    expect(purged.find((p) => p.patientId === shortHold)).toMatchObject({ reason: 'expired', scopes: ['search'] });
    expect(client.engine.status().recentlyPurged).toBeGreaterThanOrEqual(1);
  });

  it('refuses the purge while the audit entry cannot be written, and purges once it can', async () => {
    isAuditRefused = true;
    mono += 10 * HOUR;
    await client.engine.run();
    expect(await isCached(longHold)).toBe(true);
    isAuditRefused = false;
    await client.engine.run();
    expect(await isCached(longHold)).toBe(false);
    expect(audited.map((a) => a.patientId)).toEqual([shortHold, longHold]);
  });

  it('keeps the time proven across a restart of the engine (the purge clock is persisted)', async () => {
    const state = await client.store.syncState.findOne('purge-clock').exec();
    expect(state?.toJSON().value).toMatchObject({ mark: { epoch: 'test-boot', ms: mono } });
  });

  it('uploads the write it kept once the signal returns', async () => {
    sandbox.faults.setOffline(false);
    wall = Date.now(); // the crew corrected the clock (a wrong one is reported as a sync problem, rightly)
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    expect(status.pendingUploads).toBe(0);
    await expect(sandbox.repo.readResource<Observation>('Observation', 'obs-offline-purge-1')).resolves.toMatchObject({ valueQuantity: { value: 96 } });
  });
});
