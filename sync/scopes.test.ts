import type { CarePlan, MedicationRequest, Patient } from '@medplum/fhirtypes';
import { ALL_RECORD_TYPES } from '../core/fhirCodes';
import { linkedKey } from '../db/resourceRepo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { districtOf } from './areaRules';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { ALL_DISTRICTS, type TestClient, openTestClient, tempDir } from './syncTestKit';

// Scopes 2 and 3 against the real sandbox: who joins, who leaves, and that joiners arrive whole.
let sandbox: Sandbox;
/** Everything the central record holds about a patient, with the Medications their prescriptions reference (one copy each). */
async function serverKeysFor(patientId: string): Promise<string[]> {
  const keys = [`Patient/${patientId}`];
  for (const type of ALL_RECORD_TYPES) {
    for (const r of await sandbox.repo.search(type, { patient: `Patient/${patientId}` })) {
      keys.push(`${type}/${r.id}`);
      const medication = /^Medication\/(.+)$/.exec((r as MedicationRequest).medicationReference?.reference ?? '')?.[1];
      if (medication) keys.push(linkedKey('Medication', medication, patientId));
    }
  }
  return [...new Set(keys)].sort();
}
const localKeysFor = async (client: TestClient, patientId: string) =>
  [...(await client.fingerprint()).keys()].filter((k) => k === `Patient/${patientId}` || ((k.includes(patientId.slice(4)) || false) && !k.startsWith('Task/'))).sort();

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 80, seed: 5 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('area caseload (patients with active care plans in the configured districts)', () => {
  let client: TestClient;
  let holders: string[];
  beforeAll(async () => {
    client = await openTestClient({ baseUrl: sandbox.baseUrl, area: { ...ALL_DISTRICTS, requireActiveCarePlan: true }, pageSize: 25 });
    const plans = await sandbox.repo.search<CarePlan>('CarePlan', { status: 'active' });
    holders = [...new Set(plans.map((p) => p.subject?.reference?.slice('Patient/'.length) ?? ''))].sort();
  });
  afterAll(async () => client?.close());

  it('caches every plan holder whole, and nobody else outside the incidents', async () => {
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    const patients = [...(await client.fingerprint()).keys()].filter((k) => k.startsWith('Patient/')).map((k) => k.slice(8));
    const incident = ['pat-000001', 'pat-000002', 'pat-000003'];
    expect(patients.sort()).toEqual([...new Set([...holders, ...incident])].sort());
    const member = holders.find((h) => !incident.includes(h))!;
    expect(await localKeysFor(client, member)).toEqual(await serverKeysFor(member));
    expect(status.scopes?.find((s) => s.scope === 'area')?.patients).toBe(holders.length);
  });

  it('a patient given an active plan joins with the whole record, even what lies behind the checkpoints', async () => {
    const all = await sandbox.repo.search<Patient>('Patient', { _count: '200' });
    const joiner = all.find((p) => !holders.includes(p.id) && p.id > 'pat-000010')!;
    await sandbox.repo.updateResource<CarePlan>({
      resourceType: 'CarePlan', id: `careplan-${joiner.id}-new`, status: 'active', intent: 'plan', title: 'Mental health crisis plan', subject: { reference: `Patient/${joiner.id}` },
    });
    await client.engine.run();
    expect(await localKeysFor(client, joiner.id)).toEqual(await serverKeysFor(joiner.id));
    expect((await serverKeysFor(joiner.id)).length).toBeGreaterThan(2);

    // The plan is completed: the patient leaves the caseload and is purged, with an audit notice.
    const plan = await sandbox.repo.readResource<CarePlan>('CarePlan', `careplan-${joiner.id}-new`);
    await sandbox.repo.updateResource<CarePlan>({ ...plan, status: 'completed' });
    await client.engine.run();
    expect(await localKeysFor(client, joiner.id)).toEqual([]);
    expect(client.purges.map((p) => p.patientId)).toContain(joiner.id);
  });

  it('a plan holder who moves out of the area leaves it', async () => {
    const mover = holders.find((h) => h > 'pat-000010')!;
    const patient = await sandbox.repo.readResource<Patient>('Patient', mover);
    await sandbox.repo.updateResource<Patient>({ ...patient, address: [{ use: 'home', line: ['1 Test Road'], city: 'Leeds', postalCode: 'LS1 4AP' }] });
    await client.engine.run();
    expect(await localKeysFor(client, mover)).toEqual([]);
    expect((await client.engine.purged()).map((p) => p.patientId)).toContain(mover);
  });
});

describe('all residents of a district, and patients opened by search', () => {
  it('keeps exactly the residents of the district', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K105', area: { districts: ['E8', 'N1'], requireActiveCarePlan: false }, pageSize: 40 });
    try {
      await client.engine.run();
      const all = await sandbox.repo.search<Patient>('Patient', { _count: '200' });
      const residents = all.filter((p) => ['E8', 'N1'].includes(districtOf(p))).map((p) => p.id);
      const incident = (await sandbox.repo.search('Task', { owner: 'Device/vehicle-K105', status: 'ready,in-progress' })).map((t) => (t as { for?: { reference?: string } }).for?.reference?.slice(8) ?? '');
      const local = [...(await client.fingerprint()).keys()].filter((k) => k.startsWith('Patient/')).map((k) => k.slice(8));
      expect(local.sort()).toEqual([...new Set([...residents, ...incident])].sort());
      expect(residents.length).toBeGreaterThan(2);
    } finally {
      await client.close();
    }
  });

  it('follows a change of area: new residents arrive whole, residents outside it leave', async () => {
    const dir = tempDir('onscene-area-');
    const first = await openTestClient({ baseUrl: sandbox.baseUrl, dir, name: 'area-change', vehicle: 'K106', area: { districts: ['E8'], requireActiveCarePlan: false }, pageSize: 40 });
    await first.engine.run();
    await first.close();
    const second = await openTestClient({ baseUrl: sandbox.baseUrl, dir, name: 'area-change', vehicle: 'K106', area: { districts: ['N1'], requireActiveCarePlan: false }, pageSize: 40 });
    try {
      await second.engine.run();
      const all = await sandbox.repo.search<Patient>('Patient', { _count: '200' });
      const inN1 = all.filter((p) => districtOf(p) === 'N1');
      const local = [...(await second.fingerprint()).keys()].filter((k) => k.startsWith('Patient/')).map((k) => k.slice(8));
      for (const p of inN1) expect(local).toContain(p.id);
      expect(all.filter((p) => districtOf(p) === 'E8' && local.includes(p.id))).toEqual([]);
      expect(await localKeysFor(second, inN1[0]!.id)).toEqual(await serverKeysFor(inN1[0]!.id));
      expect((await second.engine.purged()).length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('holds a searched patient whole until the hold expires, then purges it as expired', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K108', pageSize: 40 });
    try {
      await client.engine.holdForSearch('pat-000040', 1500);
      const status = await client.engine.run();
      expect(status.scopes?.map((s) => s.scope)).toContain('search');
      expect(await localKeysFor(client, 'pat-000040')).toEqual(await serverKeysFor('pat-000040'));
      await new Promise((r) => setTimeout(r, 2100));
      await client.engine.run();
      expect(await localKeysFor(client, 'pat-000040')).toEqual([]);
      expect((await client.engine.purged())[0]).toMatchObject({ patientId: 'pat-000040', reason: 'expired', scopes: ['search'] });
    } finally {
      await client.close();
    }
  });
});
