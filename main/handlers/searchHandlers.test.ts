import type { Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../core/fhirCodes';
import { patientQuerySchema } from '../../core/patientSearchViews';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #13 through the real dispatcher, the sandbox over HTTP as the central record.
let core: TestCore;
const logLines: string[] = [];
const { call, value, signIn } = caller(() => core);
const byRole = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const CALL_REF = '111-20261203-0042';
const CALL = { kind: 'call' as const, callReference: CALL_REF };
let handler: string;
let clinician: string;
let medic: string;
let known: Patient & { id: string };

const family = (p: Patient) => p.name?.[0]?.family ?? '';

async function auditOf(token: string) {
  return (await value('audit.mine', { limit: 200 }, token)).entries;
}

beforeAll(async () => {
  core = await startCore(tempDataDir('search'), logLines);
  handler = await signIn(byRole('call-handler').userId, byRole('call-handler').pin);
  clinician = await signIn(byRole('clinician').userId, byRole('clinician').pin);
  medic = await signIn('demo-paramedic-1', DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!.pin);
  expect((await value('sync.run', {}, handler)).lastFailure).toBeNull();
  known = (await core.services.store.repo().get<Patient>('Patient', DEMO_PATIENTS.eolDnacpr))!.resource as Patient & { id: string };
}, 60_000);
afterAll(async () => {
  await core?.close();
});

describe('the 111 call handler', () => {
  it('never sees the vehicle’s incident list', async () => {
    expect(await call('incidents.list', {}, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('cannot search before taking a call, and the refusal is audited', async () => {
    const query = { kind: 'name-dob' as const, family: family(known), birthDate: known.birthDate! };
    expect(await call('patients.search', { query, purpose: CALL }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/Start the call/) } });
    expect((await auditOf(handler)).some((e) => e.action === 'patients.search' && e.outcome === 'failure')).toBe(true);
    expect(await call('calls.start', { callReference: 'no spaces allowed' }, handler)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('calls.join', { reference: CALL_REF }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('takes a call and finds a cached patient by name and date of birth, with why it matched and why it is cached', async () => {
    expect(await value('calls.start', { callReference: CALL_REF }, handler)).toMatchObject({ kind: 'call', reference: CALL_REF, isJoined: false });
    expect((await value('calls.current', {}, handler)).call?.reference).toBe(CALL_REF);
    const result = await value('patients.search', { query: { kind: 'name-dob', family: family(known).toUpperCase(), birthDate: known.birthDate! }, purpose: CALL }, handler);
    const found = result.matches.find((m) => m.patientId === known.id);
    expect(found).toMatchObject({
      isOnDevice: true,
      needsBreakGlass: false,
      isIdentityVerified: true,
      matchReasons: ['Family name', 'Date of birth'],
      details: { nhsNumber: known.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value, cachedBecause: ['On an incident on this device'] },
    });
    expect(found?.partialAddress).toMatch(/^Postcode district [A-Z]{1,2}\d/);
    expect(result.central.state).toBe('searched');
    const entries = await auditOf(handler);
    expect(entries.some((e) => e.action === 'patients.search' && e.patientId === known.id && e.purpose === `call ${CALL_REF}`)).toBe(true);
    // Opening under the call works; under another call it does not.
    expect((await value('record.openWithPurpose', { patientId: known.id, purpose: CALL }, handler)).patient.patientId).toBe(known.id);
    expect(await call('record.openWithPurpose', { patientId: known.id, purpose: { kind: 'call', callReference: '111-20261203-9999' } }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('finds a patient on the central record only, marked not on this device, and brings them whole before opening', async () => {
    const assigned = new Set((await core.sandbox!.repo.search<Task>('Task', {})).map((t) => t.for?.reference));
    const elsewhere = (await core.sandbox!.repo.search<Patient>('Patient', { _count: '200' })).find((p) => !assigned.has(`Patient/${p.id}`) && p.birthDate)!;
    expect(await core.services.store.repo().get('Patient', elsewhere.id!)).toBeNull();
    const result = await value('patients.search', { query: { kind: 'name-dob', family: family(elsewhere), birthDate: elsewhere.birthDate! }, purpose: CALL }, handler);
    expect(result.matches.find((m) => m.patientId === elsewhere.id)).toMatchObject({ isOnDevice: false, details: { cachedBecause: [] } });
    expect(await value('patients.fetch', { patientId: elsewhere.id!, purpose: CALL }, handler)).toEqual({ isOnDevice: true });
    expect((await value('record.openWithPurpose', { patientId: elsewhere.id!, purpose: CALL }, handler)).patient.patientId).toBe(elsewhere.id);
    const again = await value('patients.search', { query: { kind: 'name-dob', family: family(elsewhere), birthDate: elsewhere.birthDate! }, purpose: CALL }, handler);
    expect(again.matches.find((m) => m.patientId === elsewhere.id)).toMatchObject({ isOnDevice: true, details: { cachedBecause: ['Opened by search (kept for 12 hours)'] } });
  });

  it('catches a mistyped NHS number at the contract, with the plain message', async () => {
    const typo = await call('patients.search', { query: { kind: 'nhs-number', nhsNumber: '943 476 5918' }, purpose: CALL }, handler);
    expect(typo).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.stringify(typo)).toContain('query.nhsNumber'); // the shell never echoes input back
    // The same schema checks it as typed in the UI, with the plain message.
    const parsed = patientQuerySchema.safeParse({ kind: 'nhs-number', nhsNumber: '943 476 5918' });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.message)).toEqual(['This is not a valid NHS number — check the 10 digits']);
    expect(patientQuerySchema.safeParse({ kind: 'nhs-number', nhsNumber: '943 476 5919' }).success).toBe(true);
    expect(await call('patients.lookup', { nhsNumber: '9434765918', purpose: CALL }, handler)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('ends the call: main forgets the purpose, and searches and opens under it are refused', async () => {
    await value('calls.end', {}, handler);
    expect((await value('calls.current', {}, handler)).call).toBeNull();
    expect(await call('patients.search', { query: { kind: 'nhs-number', nhsNumber: '9434765919' }, purpose: CALL }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('record.openWithPurpose', { patientId: known.id, purpose: CALL }, handler)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(logLines.join('\n')).not.toContain(family(known));
  });
});

describe('the clinical adviser', () => {
  it('joins a call started on this device, or an incident, and is refused a reference that exists nowhere', async () => {
    expect(await call('calls.join', { reference: '111-19990101-0000' }, clinician)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('calls.join', { reference: 'INC-NO-SUCH-ONE' }, clinician)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('calls.start', { callReference: '111-20261203-0043' }, clinician)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The call handler's call (ended on their screen) still exists on this device.
    expect(await value('calls.join', { reference: CALL_REF }, clinician)).toMatchObject({ kind: 'call', reference: CALL_REF, isJoined: true });
    const result = await value('patients.search', { query: { kind: 'name', family: family(known).slice(0, 3) }, purpose: CALL }, clinician);
    expect(result.matches.some((m) => m.patientId === known.id)).toBe(true);
    const task = (await core.services.store.repo().ofType<Task>('Task')).find((t) => t.resource.status !== 'completed')!.resource;
    const number = task.identifier?.find((i) => i.system === SYSTEMS.incidentNumber)?.value ?? task.id!;
    expect(await value('calls.join', { reference: number }, clinician)).toMatchObject({ kind: 'incident', incidentId: task.id });
    // Another vehicle's incident is not on this device but is on the central record: joinable, and a purpose for searches.
    const [elsewhere] = await core.sandbox!.repo.search<Task>('Task', { subject: `Patient/${DEMO_PATIENTS.otherVehicle}` });
    expect(await core.services.store.repo().get('Task', elsewhere!.id!)).toBeNull();
    const elsewhereNumber = elsewhere!.identifier?.find((i) => i.system === SYSTEMS.incidentNumber)?.value ?? elsewhere!.id!;
    expect(await value('calls.join', { reference: elsewhereNumber }, clinician)).toMatchObject({ kind: 'incident', incidentId: elsewhere!.id });
    expect((await call('patients.search', { query: { kind: 'name', family: family(known) }, purpose: { kind: 'incident', incidentId: elsewhere!.id! }, includeCentral: false }, clinician)).ok).toBe(true);
    expect(await value('calls.join', { reference: number }, clinician)).toMatchObject({ kind: 'incident', incidentId: task.id });
    // Joined an incident: no longer on the call.
    expect(await call('patients.search', { query: { kind: 'name', family: family(known) }, purpose: CALL }, clinician)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a paramedic searching for someone not on their incidents', () => {
  it('sees only name, age, partial address and why it matched until emergency access', async () => {
    const other = (await core.services.store.repo().get<Patient>('Patient', DEMO_PATIENTS.otherVehicle))?.resource;
    const target = other ?? known;
    const result = await value('patients.search', { query: { kind: 'name', family: family(target) }, purpose: { kind: 'break-glass' }, includeCentral: false }, medic);
    const found = result.matches.find((m) => m.patientId === target.id)!;
    expect(found).toMatchObject({ needsBreakGlass: true, details: null });
    expect(Object.keys(found).sort()).toEqual(['age', 'details', 'isIdentityVerified', 'isOnDevice', 'matchReasons', 'matchedFields', 'name', 'needsBreakGlass', 'partialAddress', 'patientId']);
    expect(await call('patients.search', { query: { kind: 'name', family: family(target) }, purpose: { kind: 'incident', incidentId: 'task-typed-in' } }, medic)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
