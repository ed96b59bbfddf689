import type { CarePlan, Condition, Consent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { createResourceRepo } from '../db/resourceRepo';
import { createScopeRepo } from '../db/scopeRepo';
import { DEMO_SHAPES, SHAPES_VEHICLE } from '../sandbox/demoCast';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { buildSharingObjection } from '../sandbox/synthForms';
import { ALL_DISTRICTS, type TestClient, openTestClient } from './syncTestKit';

// Issue #11 over real HTTP: restricted resources and the records of patients who object to
// sharing are never cached; a label or a Consent changed on the server purges the cached copy
// (audited, listed as purged) or brings it back.
let sandbox: Sandbox;
const RESTRICTED_LABEL = [{ system: SYSTEMS.confidentiality, code: 'R' }];

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 12, seed: 9 });
});
afterAll(async () => {
  await sandbox?.close();
});

async function localKeysFor(client: TestClient, patientId: string): Promise<string[]> {
  const docs = await client.store.resources.find({ selector: { patientId } }).exec();
  return docs.map((d) => d.key).filter((k) => !k.startsWith('Task/')).sort();
}
const facts = (client: TestClient, patientId: string) => createResourceRepo(client.store).recordViewFacts(patientId);
const serverCount = async (patientId: string) => {
  let n = 0;
  for (const type of ['Consent', 'Flag', 'Condition', 'MedicationStatement', 'AllergyIntolerance', 'RelatedPerson', 'CareTeam'] as const) n += (await sandbox.repo.search(type, { patient: `Patient/${patientId}` })).length;
  return n;
};

describe('restricted information and objections to sharing, incident scope', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: SHAPES_VEHICLE, pageSize: 8 });
  });
  afterAll(async () => client?.close());

  it('caches no restricted resource, nothing beyond the demographics of a patient who objects, and counts what it withheld', async () => {
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    const restricted = await localKeysFor(client, DEMO_SHAPES.restricted);
    expect(restricted).toContain('Condition/cond-x07-1');
    expect(restricted).not.toContain('Condition/cond-x07-2');
    expect(restricted).not.toContain('DocumentReference/doc-x07-1');
    expect((await facts(client, DEMO_SHAPES.restricted)).withheld).toEqual({ reason: 'restricted', count: 2, types: ['Condition', 'DocumentReference'] });

    expect(await localKeysFor(client, DEMO_SHAPES.sharingObjection)).toEqual([`Patient/${DEMO_SHAPES.sharingObjection}`]);
    const objecting = await facts(client, DEMO_SHAPES.sharingObjection);
    expect(objecting.withheld).toEqual({ reason: 'sharing-objection', count: 5, types: ['Condition', 'Consent', 'Flag', 'MedicationStatement'] });
    // Covered by the pulls all the same: "withheld", not "never downloaded".
    expect(objecting.confirmedAtByType?.Consent).toBeDefined();
    expect((await facts(client, DEMO_SHAPES.medicines)).withheld).toBeNull();
    expect(client.purges).toEqual([]); // nothing was ever cached, so nothing was purged
  });

  it('purges a resource that becomes restricted (audited, listed, counted) and caches it again when the label is removed', async () => {
    const condition = await sandbox.repo.readResource<Condition>('Condition', 'cond-x07-1');
    await sandbox.repo.updateResource<Condition>({ ...condition, meta: { ...condition.meta, security: RESTRICTED_LABEL } });
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect(await localKeysFor(client, DEMO_SHAPES.restricted)).not.toContain('Condition/cond-x07-1');
    expect(client.purges).toEqual([{ patientId: DEMO_SHAPES.restricted, reason: 'restricted', resourceCount: 1 }]);
    const purged = (await client.engine.purged()).filter((p) => p.patientId === DEMO_SHAPES.restricted);
    expect(purged).toEqual([expect.objectContaining({ resourceCount: 1, scopes: ['incident'] })]);
    expect((await facts(client, DEMO_SHAPES.restricted)).withheld).toEqual({ reason: 'restricted', count: 3, types: ['Condition', 'DocumentReference'] });
    // The patient stays: only the restricted item went.
    expect(await localKeysFor(client, DEMO_SHAPES.restricted)).toContain(`Patient/${DEMO_SHAPES.restricted}`);

    const labelled = await sandbox.repo.readResource<Condition>('Condition', 'cond-x07-1');
    await sandbox.repo.updateResource<Condition>({ ...labelled, meta: { ...labelled.meta, security: [] } });
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect(await localKeysFor(client, DEMO_SHAPES.restricted)).toContain('Condition/cond-x07-1');
    expect((await facts(client, DEMO_SHAPES.restricted)).withheld).toEqual({ reason: 'restricted', count: 2, types: ['Condition', 'DocumentReference'] });
  });

  it('purges a patient who starts objecting back to the demographics, and brings the record back when the objection is withdrawn', async () => {
    const patientId = DEMO_SHAPES.contacts;
    const cached = (await localKeysFor(client, patientId)).filter((k) => k !== `Patient/${patientId}`);
    expect(cached.length).toBeGreaterThan(3);
    await sandbox.repo.updateResource<Consent>({ ...buildSharingObjection('consent-x02-privacy', patientId, 1), id: 'consent-x02-privacy' });
    client.purges.length = 0;
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect(await localKeysFor(client, patientId)).toEqual([`Patient/${patientId}`]);
    expect(client.purges).toEqual([{ patientId, reason: 'sharing-objection', resourceCount: cached.length }]);
    expect((await facts(client, patientId)).withheld).toMatchObject({ reason: 'sharing-objection', count: cached.length + 1 });

    const objection = await sandbox.repo.readResource<Consent>('Consent', 'consent-x02-privacy');
    await sandbox.repo.updateResource<Consent>({ ...objection, status: 'inactive' });
    expect((await client.engine.run()).lastFailure).toBeNull();
    const back = await localKeysFor(client, patientId);
    expect(back).toEqual(expect.arrayContaining([...cached, 'Consent/consent-x02-privacy']));
    expect((await facts(client, patientId)).withheld).toBeNull();
  });

  it('an objection Consent deleted on the server no longer withholds anything; a purge that cannot be audited removes nothing', async () => {
    const patientId = DEMO_SHAPES.sharingObjection;
    await sandbox.repo.deleteResource('Consent', 'consent-x08-privacy');
    expect((await client.engine.run()).lastFailure).toBeNull();
    expect((await localKeysFor(client, patientId)).length).toBe(1 + (await serverCount(patientId)));
    expect((await facts(client, patientId)).withheld).toBeNull();

    const refusing = await openTestClient({
      baseUrl: sandbox.baseUrl, vehicle: SHAPES_VEHICLE, pageSize: 8, dir: client.dir, name: 'refusing-audit',
      onPurge: () => {
        throw new Error('audit store full');
      },
    });
    try {
      expect((await refusing.engine.run()).lastFailure).toBeNull();
      const kept = await localKeysFor(refusing, DEMO_SHAPES.medicines);
      await sandbox.repo.updateResource<Consent>({ ...buildSharingObjection('consent-x01-privacy', DEMO_SHAPES.medicines, 1), id: 'consent-x01-privacy' });
      expect((await refusing.engine.run()).lastFailure?.reason).toBe('storage');
      expect(await localKeysFor(refusing, DEMO_SHAPES.medicines)).toEqual(kept);
    } finally {
      await refusing.close();
      await sandbox.repo.deleteResource('Consent', 'consent-x01-privacy');
    }
  });
});

describe('an objecting plan holder met first through the area caseload', () => {
  let client: TestClient;
  beforeAll(async () => {
    // An active plan puts the objecting patient in the caseload; its CarePlans arrive before any Consent pull.
    await sandbox.repo.updateResource<CarePlan>({
      resourceType: 'CarePlan', id: 'careplan-x08-area', status: 'active', intent: 'plan', title: 'Falls plan', subject: { reference: `Patient/${DEMO_SHAPES.sharingObjection}` },
    });
    await sandbox.repo.updateResource<Consent>({ ...buildSharingObjection('consent-x08-again', DEMO_SHAPES.sharingObjection, 1), id: 'consent-x08-again' });
    client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K108', area: { ...ALL_DISTRICTS, requireActiveCarePlan: true }, pageSize: 8 });
  });
  afterAll(async () => client?.close());

  it('reads its Consents before storing its plan, so nothing is cached even for a moment', async () => {
    expect((await client.engine.run()).lastFailure).toBeNull();
    const scope = await createScopeRepo(client.store).get(DEMO_SHAPES.sharingObjection);
    expect(scope?.holds.map((h) => h.scope)).toEqual(['area']);
    expect(await localKeysFor(client, DEMO_SHAPES.sharingObjection)).toEqual([`Patient/${DEMO_SHAPES.sharingObjection}`]);
    expect(client.purges.filter((p) => p.patientId === DEMO_SHAPES.sharingObjection)).toEqual([]);
    expect((await facts(client, DEMO_SHAPES.sharingObjection)).withheld?.types).toContain('CarePlan');
  });

  it('after a withdrawal, a type still waiting for its catch-up is not confirmed until the catch-up completes', async () => {
    const objection = await sandbox.repo.readResource<Consent>('Consent', 'consent-x08-again');
    await sandbox.repo.updateResource<Consent>({ ...objection, status: 'rejected' });
    expect((await client.engine.run()).lastFailure).toBeNull();
    const afterWithdrawal = await facts(client, DEMO_SHAPES.sharingObjection);
    // CarePlans were read before the Consents in this run: the catch-up waits for the next.
    expect(afterWithdrawal.confirmedAtByType?.CarePlan).toBeUndefined();
    expect(afterWithdrawal.confirmedAtByType?.Flag).toBeDefined();
    expect(await localKeysFor(client, DEMO_SHAPES.sharingObjection)).toContain('Flag/flag-x08-1');
    expect(await localKeysFor(client, DEMO_SHAPES.sharingObjection)).not.toContain('CarePlan/careplan-x08-area');

    expect((await client.engine.run()).lastFailure).toBeNull();
    expect((await facts(client, DEMO_SHAPES.sharingObjection)).confirmedAtByType?.CarePlan).toBeDefined();
    expect(await localKeysFor(client, DEMO_SHAPES.sharingObjection)).toContain('CarePlan/careplan-x08-area');
  });
});
