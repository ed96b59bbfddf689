import type { CarePlan } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { DEMO_INCIDENTS, DEMO_PATIENTS } from '../sandbox/demoCast';
import { type TestClient, openTestClient } from './syncTestKit';

// Scope 1 against the real sandbox over HTTP, into a real encrypted SQLite file.
let sandbox: Sandbox;
let client: TestClient;
const GRACE_MS = 1500;

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 40, seed: 3 });
  // A short incident grace, so the suite sees both the grace and the purge after it.
  client = await openTestClient({ baseUrl: sandbox.baseUrl, pageSize: 7, incidentGraceMs: GRACE_MS });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('incident scope', () => {
  it('fetches the assigned incidents and their patients whole, safety tier first, with honest progress', async () => {
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    expect(status.state).toBe('idle');
    const keys = [...(await client.fingerprint()).keys()];
    for (const task of DEMO_INCIDENTS.k101) expect(keys).toContain(`Task/${task}`);
    expect(keys).not.toContain(`Task/${DEMO_INCIDENTS.k202[0]}`);
    expect(keys).toContain(`Consent/consent-000001-eol`);
    expect(keys).toContain(`CarePlan/careplan-000001-eol`);
    expect(keys.filter((k) => k.startsWith('Patient/')).sort()).toEqual([DEMO_PATIENTS.eolDnacpr, DEMO_PATIENTS.sickleCellForCpr, DEMO_PATIENTS.noDecision].map((p) => `Patient/${p}`));
    // Progress never passes 100% and the incident safety tier completes before the clinical tier starts.
    for (const s of client.statuses) if (s.progress.total !== null) expect(s.progress.done).toBeLessThanOrEqual(s.progress.total);
    const firstClinical = client.statuses.findIndex((s) => s.scopes?.[0]?.tiers.find((t) => t.tier === 'clinical')?.done);
    const safetyDoneAt = client.statuses.findIndex((s) => s.scopes?.[0]?.tiers.find((t) => t.tier === 'safety')?.isComplete);
    expect(safetyDoneAt).toBeGreaterThan(-1);
    expect(safetyDoneAt).toBeLessThan(firstClinical);
    const syncing = client.statuses.filter((s) => s.state === 'syncing');
    expect(syncing.every((s) => s.progress.total === null || s.progress.done < s.progress.total || s === syncing.at(-1))).toBe(true);
    expect(status.scopes?.[0]).toMatchObject({ scope: 'incident', patients: 3 });
    expect(status.scopes?.[0]?.tiers.every((t) => t.isComplete)).toBe(true);
  });

  it('pulls only what changed, and propagates a deletion', async () => {
    const before = await client.fingerprint();
    const flag = (await sandbox.repo.search('Flag', { patient: `Patient/${DEMO_PATIENTS.eolDnacpr}` }))[0]!;
    const plan = await sandbox.repo.readResource<CarePlan>('CarePlan', 'careplan-000001-eol');
    await sandbox.repo.updateResource({ ...plan, description: 'Updated by the hospice' });
    await sandbox.repo.deleteResource('Flag', flag.id);
    expect(before.has(`Flag/${flag.id}`)).toBe(true);
    await client.engine.run();
    const after = await client.fingerprint();
    expect(after.has(`Flag/${flag.id}`)).toBe(false);
    expect(after.get('CarePlan/careplan-000001-eol')).toMatch(/^2@/);
    expect(client.engine.lastRun()?.stats.resources).toBeLessThan(5);
  });

  it('keeps a patient through the grace period after the incident is reassigned, then purges it, audited first with the count', async () => {
    const task = await sandbox.repo.readResource('Task', DEMO_INCIDENTS.k101[2]);
    await sandbox.repo.updateResource({ ...task, owner: { reference: 'Device/vehicle-K202' } });
    const during = await client.engine.run();
    expect(during.lastFailure).toBeNull();
    let keys = [...(await client.fingerprint()).keys()];
    expect(keys).toContain(`Patient/${DEMO_PATIENTS.noDecision}`); // the crew may still be handing over
    expect(keys).not.toContain(`Task/${DEMO_INCIDENTS.k101[2]}`);
    expect(client.purges).toEqual([]);
    await client.engine.run(); // a second exit must not push the end of the grace back
    await new Promise((r) => setTimeout(r, GRACE_MS + 600));
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    keys = [...(await client.fingerprint()).keys()];
    expect(keys.some((k) => k === `Patient/${DEMO_PATIENTS.noDecision}`)).toBe(false);
    const purged = await client.engine.purged();
    expect(purged[0]).toMatchObject({ patientId: DEMO_PATIENTS.noDecision, reason: 'left-scope', scopes: ['incident'] });
    expect(purged[0]!.resourceCount).toBeGreaterThan(0);
    // The audit entry, written before anything is removed, records what was removed.
    expect(client.purges).toEqual([{ patientId: DEMO_PATIENTS.noDecision, reason: 'left-scope', resourceCount: purged[0]!.resourceCount }]);
    expect(status.recentlyPurged).toBe(1);
  });

  it('purges a patient deleted on the server', async () => {
    await sandbox.repo.deleteResource('Patient', DEMO_PATIENTS.sickleCellForCpr);
    await client.engine.run();
    const keys = [...(await client.fingerprint()).keys()];
    // Everything about the patient goes; the incident itself is the dispatcher's to close.
    expect(keys.filter((k) => k.includes('000002') && !k.startsWith('Task/'))).toEqual([]);
    expect((await client.engine.purged())[0]).toMatchObject({ patientId: DEMO_PATIENTS.sickleCellForCpr, reason: 'deleted-on-server' });
  });
});
