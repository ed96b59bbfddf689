import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { normalisePostcode } from '../core/patientSearch';
import type { TestCore } from '../main/services/testCalls';
import { caller, startCore, tempDataDir } from '../main/services/testCalls';
import { DEMO_PATIENTS } from '../sandbox/demoCast';
import { type TestClient, openTestClient } from '../sync/syncTestKit';
import { type Central, type Fixture, openCentral, writeFixture } from './interopTestKit';

// Patient lookup on the central record: the standard Patient search by NHS number and by
// demographics (issue #13), and patients.lookup through the real app, which holds the patient
// found for search and brings the record whole before it answers.
let central: Central;
let fx: Fixture;
let client: TestClient;
let core: TestCore;
const CALL = { kind: 'call' as const, callReference: 'CALL-2026-0042' };
const { value, signIn } = caller(() => core);
const nhsNumberOf = (p: Patient) => p.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value ?? '';
/** Pat 4 is on the other vehicle's incident: not cached by this vehicle's sync. */
const targetId = () => fx.id(DEMO_PATIENTS.otherVehicle);
const target = () => fx.resources.find((r) => r.resourceType === 'Patient' && r.id === targetId()) as Patient;

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
  client = await openTestClient({ baseUrl: central.baseUrl, ...(central.bearerToken ? { bearerToken: central.bearerToken } : {}), vehicle: fx.vehicle() });
  core = await startCore(tempDataDir('interop-lookup'), [], central.baseUrl, { config: { vehicle: fx.vehicle(), centralToken: central.bearerToken ?? null } });
});
afterAll(async () => {
  await client?.close();
  await core?.close();
  await central?.close();
});

describe('central patient search', () => {
  it('finds the patient by NHS number (identifier system|value)', async () => {
    const found = await client.engine.searchCentral(nhsNumberOf(target()));
    expect(found).toMatchObject({ isOnline: true });
    if (found.isOnline) expect(found.patientIds).toContain(targetId());
  });

  it('finds the patient by family name and date of birth, and by date of birth and postcode district', async () => {
    const family = target().name?.[0]?.family ?? '';
    const birthDate = target().birthDate ?? '';
    const byName = await client.engine.searchPatients({ kind: 'name-dob', family, birthDate });
    expect(byName.isOnline && byName.patients.map((p) => p.id)).toContain(targetId());
    const postcode = normalisePostcode(target().address?.[0]?.postalCode ?? '');
    const district = postcode.slice(0, -3);
    const byPostcode = await client.engine.searchPatients({ kind: 'dob-postcode', birthDate, postcode: district });
    expect(byPostcode.isOnline && byPostcode.patients.map((p) => p.id)).toContain(targetId());
  });

  it('patients.lookup holds the patient found for search and has the record local on return', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    await value('calls.start', { callReference: CALL.callReference }, token);
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const repo = core.services.store.repo();
    expect(await repo.get('Patient', targetId())).toBeNull();
    const { patients } = await value('patients.lookup', { nhsNumber: nhsNumberOf(target()), purpose: CALL }, token);
    expect(patients.map((p) => p.patientId)).toContain(targetId());
    expect(await repo.get('Patient', targetId())).not.toBeNull();
    const local = (await repo.forPatient(targetId())).map(({ resource }) => resource.resourceType);
    expect(local.length).toBeGreaterThan(1);
    expect((await value('record.openWithPurpose', { patientId: targetId(), purpose: CALL }, token)).patient.patientId).toBe(targetId());
  });

  it('an unknown NHS number online: nobody found', async () => {
    const token = await signIn('demo-call-handler-1', '333333');
    await value('calls.start', { callReference: CALL.callReference }, token);
    expect(await value('patients.lookup', { nhsNumber: '9000000009', purpose: CALL }, token)).toEqual({ patients: [] });
  });
});
