import type { CarePlan, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS } from '../sandbox/demoCast';
import { type TestClient, openTestClient } from '../sync/syncTestKit';
import { type CutProxy, startCutProxy } from './cutProxy';
import { type Central, type Fixture, openCentral, writeFixture } from './interopTestKit';

// Push against the central record: client ids in transaction Bundles, a retried push after a cut
// connection, a version conflict kept for review, and one refused entry quarantined.
let central: Central;
let fx: Fixture;
let proxy: CutProxy;
const planId = () => fx.id('careplan-000001-eol');
const token = () => (central.bearerToken ? { bearerToken: central.bearerToken } : {});

const observation = (id: string, value: unknown = 88): Observation =>
  ({ resourceType: 'Observation', id, status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${fx.id(DEMO_PATIENTS.eolDnacpr)}` }, valueQuantity: { value, unit: 'beats/min' } }) as Observation;

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
  proxy = await startCutProxy(central.baseUrl);
});
afterAll(async () => {
  await proxy?.close();
  await central?.close();
});

describe('outbox push', () => {
  let client: TestClient;
  let onPhase: ((phase: string) => void) | null = null;
  beforeAll(async () => {
    client = await openTestClient({ baseUrl: proxy.baseUrl, ...token(), vehicle: fx.vehicle(), pageSize: 30, onStatus: (s) => onPhase?.(s.progress.phase) });
    expect((await client.engine.run()).lastFailure).toBeNull();
  });
  afterAll(async () => client?.close());

  it('pushes local writes with client ids and confirms them from the server answer', async () => {
    const id = fx.id('obs-local-1');
    await client.engine.recordLocal(observation(id));
    const status = await client.engine.run();
    expect(status.pendingUploads).toBe(0);
    expect((await central.rest.read<Observation>('Observation', id))?.valueQuantity?.value).toBe(88);
    expect((await client.fingerprint()).get(`Observation/${id}`)).toMatch(/^1@/);
  });

  it('survives an answer cut off mid-way: the retry is recognised as our own write, not a conflict or a duplicate', async () => {
    const plan = (await central.rest.read<CarePlan>('CarePlan', planId()))!;
    await client.engine.recordLocal({ ...plan, description: 'Lost-answer edit' });
    const obsId = fx.id('obs-lost-answer');
    await client.engine.recordLocal(observation(obsId, 91));
    const cutsBefore = proxy.cuts();
    let isArmed = true;
    onPhase = (phase) => {
      if (isArmed && phase.startsWith('Uploading')) {
        proxy.cutNext(1, 40); // the transaction's answer: the server applies it, the client never hears back
        isArmed = false;
      }
    };
    const status = await client.engine.run();
    onPhase = null;
    expect(proxy.cuts()).toBe(cutsBefore + 1);
    expect(status.lastFailure).toBeNull();
    expect(status.conflicts).toBe(0);
    expect(status.pendingUploads).toBe(0);
    const saved = (await central.rest.read<CarePlan>('CarePlan', planId()))!;
    expect(saved.description).toBe('Lost-answer edit');
    expect(saved.meta?.versionId).toBe(String(Number(plan.meta?.versionId) + 1)); // applied once
    // The retried PUT of the new Observation repeats identical content: HAPI keeps version 1 (it
    // drops no-op updates), the sandbox records a version 2 of the same content. Neither duplicates.
    const obs = await central.rest.read<Observation>('Observation', obsId);
    expect(obs?.valueQuantity?.value).toBe(91);
    expect(['1', '2']).toContain(obs?.meta?.versionId);
  });

  it('quarantines the one entry the server refuses and pushes the rest', async () => {
    await client.engine.recordLocal(observation(fx.id('obs-ok-1')));
    await client.engine.recordLocal(observation(fx.id('obs-bad'), 'not a number'));
    await client.engine.recordLocal(observation(fx.id('obs-ok-2')));
    const status = await client.engine.run();
    expect(status.pendingUploads).toBe(0);
    expect(status.quarantined).toBe(1);
    expect(await central.rest.read('Observation', fx.id('obs-ok-1'))).not.toBeNull();
    expect(await central.rest.read('Observation', fx.id('obs-ok-2'))).not.toBeNull();
    expect(await central.rest.read('Observation', fx.id('obs-bad'))).toBeNull();
  });
});

describe('two devices edit the same care plan', () => {
  it('applies one edit and keeps the other for review with both versions; nothing is silently overwritten', async () => {
    const a = await openTestClient({ baseUrl: central.baseUrl, ...token(), vehicle: fx.vehicle(), pageSize: 30 });
    const b = await openTestClient({ baseUrl: central.baseUrl, ...token(), vehicle: fx.vehicle(), pageSize: 30 });
    try {
      await a.engine.run();
      await b.engine.run();
      const base = (await central.rest.read<CarePlan>('CarePlan', planId()))!;
      await a.engine.recordLocal({ ...base, description: 'Edit from device A' });
      await b.engine.recordLocal({ ...base, description: 'Edit from device B' });
      expect((await a.engine.run()).conflicts).toBe(0);
      const statusB = await b.engine.run();
      // HAPI answers a stale If-Match with 409, the sandbox with 412: both are a conflict.
      expect(statusB).toMatchObject({ conflicts: 1, pendingUploads: 0, lastFailure: { reason: 'conflict' } });
      const server = (await central.rest.read<CarePlan>('CarePlan', planId()))!;
      expect(server.description).toBe('Edit from device A');
      const conflicts = await b.engine.conflicts();
      expect(conflicts).toEqual([expect.objectContaining({ resourceType: 'CarePlan', resourceId: planId(), changedFields: ['description'], serverVersionId: server.meta?.versionId })]);
      const issue = await b.store.syncIssues.findOne(conflicts[0]!.conflictId).exec();
      expect((issue?.local as { description?: string }).description).toBe('Edit from device B');

      await b.engine.resolveConflict(conflicts[0]!.conflictId, 'reapply-local');
      expect(await b.engine.run()).toMatchObject({ conflicts: 0, pendingUploads: 0, lastFailure: null });
      expect((await central.rest.read<CarePlan>('CarePlan', planId()))!.description).toBe('Edit from device B');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
