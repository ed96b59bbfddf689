import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Observation } from '@medplum/fhirtypes';
import { DEMO_USERS } from '../../sandbox/demoCast';
import type { TestCore } from './testCalls';
import { SIGN_IN_FILE } from '../security/signInRecords';
import { onlineTicket, signInOnline } from './signInTestKit';
import { caller, startCore, tempDataDir } from './testCalls';

// Sign-in gates, online sign-in, lock/unlock and the shared laptop, against the real sandbox over
// HTTP and real files (issue #4). Back-off and deadlines are exhaustively unit-tested in core/;
// here each is shown to be enforced end to end.
const [medic, colleague, callHandler, , admin] = DEMO_USERS as unknown as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number], unknown, (typeof DEMO_USERS)[number]];
let core: TestCore;
let dataDir: string;
const log: string[] = [];
const { call, value, signIn } = caller(() => core);
const DAY = 86_400_000;

function editSignInRecord(userId: string, patch: Record<string, unknown>) {
  const file = path.join(dataDir, SIGN_IN_FILE);
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as { users: Record<string, Record<string, unknown>> };
  all.users[userId] = { ...all.users[userId], ...patch };
  fs.writeFileSync(file, JSON.stringify(all));
}

beforeAll(async () => {
  dataDir = tempDataDir('security');
  core = await startCore(dataDir, log);
});
afterAll(async () => {
  await core?.close();
});

describe('wrong PINs back off, and the screen is told for how long', () => {
  it('allows three mistakes, then makes the user wait 30 s, and says so', async () => {
    for (let i = 0; i < 3; i++) expect(await call('session.signIn', { userId: colleague.userId, pin: '0000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    const fourth = await call('session.signIn', { userId: colleague.userId, pin: '0000' });
    expect(fourth).toMatchObject({ ok: false, error: { code: 'wrong-pin', message: 'That PIN is not right. Too many wrong PINs. Wait 30 seconds before trying again.' } });
    // Even the right PIN waits: the gate is checked before the PIN.
    expect(await call('session.signIn', { userId: colleague.userId, pin: colleague.pin })).toMatchObject({ ok: false, error: { code: 'too-many-attempts' } });
    const status = await value('session.signInStatus', { userId: colleague.userId });
    expect(status).toMatchObject({ state: 'wait', reason: null, isEnrolled: true });
    expect(status.waitMs).toBeGreaterThan(25_000);
    expect(status.message).toMatch(/^Too many wrong PINs\. Wait \d+ seconds before trying again\.$/);
  });

  it('judges parallel guesses one at a time, so a burst cannot skip the wait', async () => {
    const burst = await Promise.all(Array.from({ length: 6 }, () => call('session.signIn', { userId: callHandler.userId, pin: '0000' })));
    const codes = burst.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'wrong-pin')).toHaveLength(4);
    expect(codes.filter((c) => c === 'too-many-attempts')).toHaveLength(2);
  });

  it('after N failures only an online sign-in (identity provider, then PIN) unlocks, and it resets the count', async () => {
    editSignInRecord(callHandler.userId, { failures: 10, lastFailureAt: new Date(Date.now() - DAY).toISOString() });
    const offline = await call('session.signIn', { userId: callHandler.userId, pin: callHandler.pin });
    expect(offline).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });
    expect(await value('session.signInStatus', { userId: callHandler.userId })).toMatchObject({ state: 'online-required', reason: 'too-many-failures' });
    expect((await signInOnline(core, callHandler, callHandler.pin)).ok).toBe(true);
    expect(await value('session.signInStatus', { userId: callHandler.userId })).toMatchObject({ state: 'open' });
    await signIn(callHandler.userId, callHandler.pin);
  });
});

describe('probing user ids', () => {
  it('answers an unknown user id as slowly as a wrong PIN, so enrolment cannot be read from the timing', async () => {
    const median = async (attempt: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await attempt();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[1]!;
    };
    const unknown = await median(() => call('session.signIn', { userId: 'nobody-here-1', pin: '000000' }));
    // A real wrong PIN pays one argon2id derivation (~0.2 s); before the fix an unknown id answered in ~1 ms.
    const wrongPin = await median(() => call('session.signIn', { userId: admin.userId, pin: '000001' }));
    expect(unknown / wrongPin).toBeGreaterThan(0.5);
  });
});

describe('re-authentication deadline', () => {
  it('locks offline access after the configured days until an online sign-in, which needs an active practitioner', async () => {
    editSignInRecord(medic.userId, { lastOnlineAuthAt: new Date(Date.now() - 15 * DAY).toISOString(), highWaterAt: null });
    expect(await call('session.signIn', { userId: medic.userId, pin: medic.pin })).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });
    expect(await value('session.signInStatus', { userId: medic.userId })).toMatchObject({ state: 'online-required', reason: 'reauth-overdue' });

    const sandbox = core.sandbox!;
    const practitioner = await sandbox.repo.readResource('Practitioner', medic.practitionerId);
    await sandbox.repo.updateResource({ ...practitioner, active: false });
    // The identity provider still signs them in; the central record says the account is not active: no session.
    const inactive = await onlineTicket(core, medic);
    expect(await call('session.onlineTicket', { ticket: inactive })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/not active/) } });
    expect(await call('session.onlineComplete', { ticket: inactive, pin: medic.pin })).toMatchObject({ ok: false });
    await sandbox.repo.updateResource({ ...practitioner, active: true });

    await sandbox.faults.setOffline(true);
    try {
      const unreachable = await onlineTicket(core, medic);
      expect(await call('session.onlineTicket', { ticket: unreachable })).toMatchObject({ ok: false, error: { code: 'offline' } });
    } finally {
      await sandbox.faults.setOffline(false);
    }
    expect((await signInOnline(core, medic, medic.pin)).ok).toBe(true);
    const status = await value('session.signInStatus', { userId: medic.userId });
    expect(status.state).toBe('open');
    expect(Date.parse(status.reauthDueAt!)).toBeGreaterThan(Date.now() + 13 * DAY);
  });
});

describe('lock and unlock', () => {
  it('a locked session reaches no patient data, and only its own user PIN unlocks it', async () => {
    const token = await signIn(medic.userId, medic.pin);
    await value('session.lock', { reason: 'user' }, token);
    for (const method of ['incidents.list', 'session.current', 'sync.status', 'audit.mine'] as const) {
      expect(await call(method, method === 'audit.mine' ? { limit: 5 } : {}, token)).toMatchObject({ ok: false, error: { code: 'locked' } });
    }
    expect(await call('record.open', { patientId: 'pat-000001', incidentId: 'task-000001-active' }, token)).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await call('session.unlock', { pin: colleague.pin }, token)).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await value('session.unlock', { pin: medic.pin }, token)).toMatchObject({ user: { userId: medic.userId } });
    expect(await value('session.current', {}, token)).toMatchObject({ user: { userId: medic.userId } });
    const audit = await value('audit.mine', { limit: 10 }, token);
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['session.lock', 'session.unlock', 'login.failed']));
  });
});

describe('shared laptop at shift change', () => {
  it('a second user signs in; neither sees the other session; the first user work stays, under their name', async () => {
    const first = await signIn(medic.userId, medic.pin);
    const store = core.store();
    // A record the first user made on scene, waiting to upload (authored by them, as the server will be sent it).
    await store.outbox.upsert({
      key: 'Observation/obs-shift-1',
      resourceType: 'Observation',
      resourceId: 'obs-shift-1',
      patientId: 'pat-000001',
      seq: 1,
      resource: {
        resourceType: 'Observation',
        id: 'obs-shift-1',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
        subject: { reference: 'Patient/pat-000001' },
        valueQuantity: { value: 88, unit: '/min' },
        performer: [{ reference: `Practitioner/${medic.practitionerId}` }],
      },
      baseVersionId: '',
      recordedAt: new Date().toISOString(),
    });
    expect(await value('session.pendingWork', {}, first)).toMatchObject({ unsyncedRecords: 1 });
    await value('session.lock', { reason: 'user' }, first);

    // The next shift's user (the colleague is still inside the back-off wait from the first test).
    const second = await signIn(callHandler.userId, callHandler.pin);
    expect(await call('session.current', {}, first)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await value('session.current', {}, second)).toMatchObject({ user: { userId: callHandler.userId } });
    expect(await value('session.pendingWork', {}, second)).toMatchObject({ unsyncedRecords: 0 });
    const theirs = await value('audit.mine', { limit: 200 }, second);
    expect(theirs.entries.every((e) => e.userId === callHandler.userId)).toBe(true);

    // Sign-out never deletes: the first user's record and audit entries are still queued under their id.
    await value('session.signOut', {}, second);
    expect(await store.outbox.count().exec()).toBe(1);
    const firstUsersAudit = store.audit.pending(10_000).filter((r) => r.userId === medic.userId);
    expect(firstUsersAudit.length).toBeGreaterThan(0);

    // The next sync, whoever is signed in, uploads the first user's work as theirs.
    const third = await signIn(callHandler.userId, callHandler.pin);
    expect(await value('sync.run', {}, third)).toMatchObject({ lastFailure: null });
    const uploaded = await core.sandbox!.repo.readResource<Observation>('Observation', 'obs-shift-1');
    expect(uploaded.performer).toEqual([{ reference: `Practitioner/${medic.practitionerId}` }]);
    expect(await store.outbox.count().exec()).toBe(0);
    const uploadedAudit = await core.sandbox!.repo.search<AuditEvent>('AuditEvent', { _count: '1000' });
    const firstUsersEventIds = new Set(firstUsersAudit.map((r) => r.eventId));
    const onServer = uploadedAudit.filter((e) => firstUsersEventIds.has(e.id));
    expect(onServer.length).toBe(firstUsersAudit.length);
    for (const event of onServer) expect(JSON.stringify(event.agent)).toContain(`Practitioner/${medic.practitionerId}`);
  });

  it('gives an administrator no patient data and no break-glass', async () => {
    const token = await signIn(admin.userId, admin.pin);
    expect(await call('incidents.list', {}, token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const glass = await call('access.breakGlass', { patientId: 'pat-000001', reason: 'other', reasonText: 'I would like to look' }, token);
    expect(glass).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('patients.lookup', { nhsNumber: '9990000018', purpose: null }, token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('wrote no PHI to the log', () => {
    for (const line of log) expect(line).not.toMatch(/\d{10}|Testwood|Mockridge/);
  });
});
