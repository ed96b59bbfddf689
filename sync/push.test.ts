import type { CarePlan, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { ALL_DISTRICTS, type TestClient, openTestClient } from './syncTestKit';

// Push against the real sandbox: idempotent PUTs in transactions, If-Match, conflicts kept for review.
let sandbox: Sandbox;
const PLAN = 'careplan-000001-eol';

const observation = (id: string, value: unknown = 88): Observation =>
  ({ resourceType: 'Observation', id, status: 'final', code: { text: 'Heart rate' }, subject: { reference: 'Patient/pat-000001' }, valueQuantity: { value, unit: 'beats/min' } }) as Observation;

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 12, seed: 11 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('outbox push', () => {
  let client: TestClient;
  let onPhase: ((phase: string) => void) | null = null;
  beforeAll(async () => {
    client = await openTestClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, pageSize: 30, onStatus: (s) => onPhase?.(s.progress.phase) });
    await client.engine.run();
  });
  afterAll(async () => client?.close());

  it('pushes local writes with client ids and confirms them from the server answer', async () => {
    await client.engine.recordLocal(observation('obs-local-1'));
    expect(client.engine.status().pendingUploads).toBe(1);
    const status = await client.engine.run();
    expect(status.pendingUploads).toBe(0);
    const saved = await sandbox.repo.readResource<Observation>('Observation', 'obs-local-1');
    expect(saved.valueQuantity?.value).toBe(88);
    expect((await client.fingerprint()).get('Observation/obs-local-1')).toMatch(/^1@/);
  });

  it('keeps recorded observations append-only', async () => {
    await expect(client.engine.recordLocal(observation('obs-local-1', 90))).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('survives a lost answer: the retry is recognised as our own write, not a conflict or a duplicate', async () => {
    const plan = await sandbox.repo.readResource<CarePlan>('CarePlan', PLAN);
    await client.engine.recordLocal({ ...plan, description: 'Lost-answer edit' });
    let isArmed = true;
    const retriesBefore = client.engine.clientStats().retries;
    // Drop the answer to the transaction: the server applies it, the client never hears back.
    onPhase = (phase) => {
      if (isArmed && phase.startsWith('Uploading')) {
        sandbox.faults.set({ mode: 'drop', count: 1 });
        isArmed = false;
      }
    };
    const status = await client.engine.run();
    onPhase = null;
    expect(isArmed).toBe(false);
    expect(client.engine.clientStats().retries).toBe(retriesBefore + 1);
    expect(status.lastFailure).toBeNull();
    expect(status.conflicts).toBe(0);
    const saved = await sandbox.repo.readResource<CarePlan>('CarePlan', PLAN);
    expect(saved.description).toBe('Lost-answer edit');
  });

  it('quarantines the one entry the server refuses and pushes the rest', async () => {
    await client.engine.recordLocal(observation('obs-ok-1'));
    await client.engine.recordLocal(observation('obs-bad', 'not a number'));
    await client.engine.recordLocal(observation('obs-ok-2'));
    const status = await client.engine.run();
    expect(status.pendingUploads).toBe(0);
    expect(status.quarantined).toBe(1);
    await expect(sandbox.repo.readResource('Observation', 'obs-ok-1')).resolves.toBeTruthy();
    await expect(sandbox.repo.readResource('Observation', 'obs-ok-2')).resolves.toBeTruthy();
    await expect(sandbox.repo.readResource('Observation', 'obs-bad')).rejects.toThrow();
  });
});

describe('two vehicles edit the same care plan offline', () => {
  it('applies one edit and keeps the other for review with both versions; nothing is silently overwritten', async () => {
    const a = await openTestClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, vehicle: 'K101', pageSize: 30 });
    const b = await openTestClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, vehicle: 'K103', area: { ...ALL_DISTRICTS, requireActiveCarePlan: true }, pageSize: 30 });
    try {
      await a.engine.run();
      await b.engine.run();
      const base = await sandbox.repo.readResource<CarePlan>('CarePlan', PLAN);
      sandbox.faults.setOffline(true);
      await a.engine.recordLocal({ ...base, description: 'Edit from K101' });
      await b.engine.recordLocal({ ...base, description: 'Edit from K103' });
      expect((await a.engine.run()).state).toBe('offline');
      sandbox.faults.setOffline(false);

      expect((await a.engine.run()).conflicts).toBe(0);
      const statusB = await b.engine.run();
      expect(statusB).toMatchObject({ conflicts: 1, pendingUploads: 0, lastFailure: { reason: 'conflict' } });
      const server = await sandbox.repo.readResource<CarePlan>('CarePlan', PLAN);
      expect(server.description).toBe('Edit from K101');
      const conflicts = await b.engine.conflicts();
      expect(conflicts).toEqual([expect.objectContaining({ resourceType: 'CarePlan', resourceId: PLAN, changedFields: ['description'], serverVersionId: server.meta?.versionId })]);
      // B now shows the central record's version; its own edit waits in review.
      const shownOnB = await b.store.resources.findOne(`CarePlan/${PLAN}`).exec();
      expect((shownOnB?.resource as { description?: string }).description).toBe('Edit from K101');
      const issue = await b.store.syncIssues.findOne(conflicts[0]!.conflictId).exec();
      expect((issue?.local as { description?: string }).description).toBe('Edit from K103');

      // The clinician keeps K103's edit: it goes again on top of the current version.
      await b.engine.resolveConflict(conflicts[0]!.conflictId, 'reapply-local');
      const after = await b.engine.run();
      expect(after).toMatchObject({ conflicts: 0, pendingUploads: 0, lastFailure: null });
      expect((await sandbox.repo.readResource<CarePlan>('CarePlan', PLAN)).description).toBe('Edit from K103');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
