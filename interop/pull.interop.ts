import type { CarePlan, Flag, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INCIDENTS, DEMO_PATIENTS } from '../sandbox/demoCast';
import { type TestClient, openTestClient } from '../sync/syncTestKit';
import { type Central, type Fixture, deletePatientWhole, openCentral, writeFixture } from './interopTestKit';

// Scope 1 (incident) against the central record over standard REST: the pull, an update and a
// deletion made on the server, a reassigned incident (scope exit) and a patient deleted there.
let central: Central;
let fx: Fixture;
let client: TestClient;
// Long enough for a whole run against a real server (a few seconds on a shared CI machine).
const GRACE_MS = 8000;
const PATIENT_TYPES = ['Consent', 'Flag', 'AllergyIntolerance', 'CarePlan', 'QuestionnaireResponse', 'MedicationRequest', 'MedicationStatement', 'Condition', 'RelatedPerson', 'CareTeam', 'Encounter', 'Procedure', 'Immunization', 'DocumentReference', 'Observation', 'Task'];

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
  client = await openTestClient({ baseUrl: central.baseUrl, ...(central.bearerToken ? { bearerToken: central.bearerToken } : {}), vehicle: fx.vehicle(), pageSize: 7, incidentGraceMs: GRACE_MS });
});
afterAll(async () => {
  await client?.close();
  await central?.close();
});

describe(`incident scope against the central record`, () => {
  it('fetches the assigned incidents and their patients whole, following the server’s next links', async () => {
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    const keys = [...(await client.fingerprint()).keys()];
    for (const task of DEMO_INCIDENTS.k101) expect(keys).toContain(`Task/${fx.id(task)}`);
    expect(keys).not.toContain(`Task/${fx.id(DEMO_INCIDENTS.k202[0])}`);
    expect(keys).toContain(`Consent/${fx.id('consent-000001-eol')}`);
    expect(keys).toContain(`CarePlan/${fx.id('careplan-000001-eol')}`);
    expect(keys.filter((k) => k.startsWith('Patient/')).sort()).toEqual([DEMO_PATIENTS.eolDnacpr, DEMO_PATIENTS.sickleCellForCpr, DEMO_PATIENTS.noDecision].map((p) => `Patient/${fx.id(p)}`));
    expect(status.scopes?.[0]).toMatchObject({ scope: 'incident', patients: 3 });
    expect(status.scopes?.[0]?.tiers.every((t) => t.isComplete)).toBe(true);
    expect(client.engine.lastRun()?.stats.pages).toBeGreaterThan(3); // page size 7: next links were followed
  });

  it('pulls only what changed on the server, at once, and propagates a deletion made there', async () => {
    const before = await client.fingerprint();
    const [flag] = await central.rest.search<Flag>(`Flag?patient=Patient/${fx.id(DEMO_PATIENTS.eolDnacpr)}`);
    const plan = (await central.rest.read<CarePlan>('CarePlan', fx.id('careplan-000001-eol')))!;
    await central.rest.put({ ...plan, description: 'Updated by the hospice' });
    expect([200, 204]).toContain(await central.rest.remove('Flag', flag!.id));
    expect(before.has(`Flag/${flag!.id}`)).toBe(true);
    await client.engine.run();
    const after = await client.fingerprint();
    expect(after.has(`Flag/${flag!.id}`)).toBe(false);
    expect(after.get(`CarePlan/${fx.id('careplan-000001-eol')}`)).toMatch(/^2@/);
    expect(client.engine.lastRun()?.stats.resources).toBeLessThan(5);
  });

  it('keeps a patient through the grace period after the incident is reassigned, then purges it, audited first', async () => {
    const task = (await central.rest.read<Task>('Task', fx.id(DEMO_INCIDENTS.k101[2])))!;
    await central.rest.put({ ...task, owner: { reference: `Device/${fx.id('vehicle-K202')}` } });
    const during = await client.engine.run();
    expect(during.lastFailure).toBeNull();
    let keys = [...(await client.fingerprint()).keys()];
    expect(keys).toContain(`Patient/${fx.id(DEMO_PATIENTS.noDecision)}`);
    expect(keys).not.toContain(`Task/${fx.id(DEMO_INCIDENTS.k101[2])}`);
    expect(client.purges).toEqual([]);
    await new Promise((r) => setTimeout(r, GRACE_MS + 600));
    const status = await client.engine.run();
    expect(status.lastFailure).toBeNull();
    keys = [...(await client.fingerprint()).keys()];
    expect(keys).not.toContain(`Patient/${fx.id(DEMO_PATIENTS.noDecision)}`);
    const purged = await client.engine.purged();
    expect(purged[0]).toMatchObject({ patientId: fx.id(DEMO_PATIENTS.noDecision), reason: 'left-scope', scopes: ['incident'] });
    expect(client.purges).toEqual([{ patientId: fx.id(DEMO_PATIENTS.noDecision), reason: 'left-scope', resourceCount: purged[0]!.resourceCount }]);
  });

  it('purges a patient deleted on the server (with what referred to it, as a real server insists)', async () => {
    const patientId = fx.id(DEMO_PATIENTS.sickleCellForCpr);
    await deletePatientWhole(central, patientId, PATIENT_TYPES);
    expect(await central.rest.read('Patient', patientId)).toBeNull();
    await client.engine.run();
    const keys = [...(await client.fingerprint()).keys()];
    expect(keys.filter((k) => k.includes(`000002`))).toEqual([]);
    expect((await client.engine.purged()).find((p) => p.patientId === patientId)).toMatchObject({ reason: 'deleted-on-server' });
  });
});
