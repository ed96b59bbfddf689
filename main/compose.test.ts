import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { joinFact } from '../core/auditEntry';
import { openConnection } from '../db/storage/connection';
import { DEMO_USERS } from '../sandbox/demoCast';
import { openKeyVault } from './security/keyVault';
import { SYSTEM_USER_ID } from './services/auditService';
import { type TestCore, caller, startCore, tempDataDir } from './services/testCalls';

// The composition root's wiring against the real sandbox and a real encrypted file: failed sign-ins on a locked
// device, parallel sign-ins, sign-out under a failing audit, who background work is recorded
// under, a failing remote-wipe check, and audit delivery when the record sync stops early.
const [medic, colleague] = DEMO_USERS as unknown as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let core: TestCore;
let dataDir: string;
const log: string[] = [];
const { call, value, signIn } = caller(() => core);

/** A second connection to the app's own file, as a failing disk would look: every audit insert aborts. */
async function failAuditWrites(): Promise<() => void> {
  const key = await openKeyVault(dataDir).unlock(medic.userId, medic.pin);
  if (!key) throw new Error('no key');
  const db = openConnection({ directory: dataDir, key }, 'onscene').db;
  db.exec("CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  return () => {
    db.exec('DROP TRIGGER inject_failure');
    db.close();
  };
}

// Counts store opens: two sign-ins at once must open the encrypted file once.
const opens = vi.hoisted(() => ({ count: 0 }));
vi.mock('../db/localStore', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../db/localStore')>();
  return {
    ...actual,
    // Slow, as a large encrypted file is: the second sign-in arrives while the first is still opening.
    openLocalStore: async (...args: Parameters<typeof actual.openLocalStore>) => {
      opens.count++;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return actual.openLocalStore(...args);
    },
  };
});

const actions = (userId: string, n = 50) => core.store().audit.recentForUser(userId, n).map((r) => r.action);

beforeAll(async () => {
  dataDir = tempDataDir('app-state');
  core = await startCore(dataDir, log);
});
let isClosed = false;
afterAll(async () => {
  if (!isClosed) await core?.close();
});

describe('failed sign-ins while the device is locked', () => {
  it('audits a wrong PIN and an unknown user before any store is open, at the next unlock', async () => {
    expect(() => core.store()).toThrow(); // locked: nobody has signed in yet
    expect(await call('session.signIn', { userId: medic.userId, pin: '0000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    const unknown = await call('session.signIn', { userId: 'no-such-user', pin: '1234' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    // Free text in the id field (a name, a PIN) is never stored verbatim, nor echoed.
    const hostile = await call('session.signIn', { userId: 'Zebedee Fakepatient 9990000018', pin: '1234' });
    expect(JSON.stringify(hostile)).not.toMatch(/Zebedee|9990000018/);
    // The second unknown id within a minute is held back and counted (a flood must not fill the disk, issue #10).
    expect(core.services.auditReports.deferredCount()).toBe(2);

    const token = await signIn(medic.userId, medic.pin);
    expect(core.services.auditReports.deferredCount()).toBe(0);
    expect(actions(medic.userId)).toEqual(['login', 'login.failed']);
    const [unknownRow] = core.store().audit.recentForUser('no-such-user', 5);
    expect(unknownRow).toMatchObject({ action: 'login.failed' });
    expect(joinFact(unknownRow!, unknownRow!.body)).toMatchObject({ role: null, purpose: 'unknown user', outcome: 'failure' });
    expect(actions('unrecognised')).toEqual([]);
    expect(JSON.stringify(core.store().audit.pending(10_000))).not.toMatch(/Zebedee|9990000018/);
    expect(core.store().audit.verify()).toMatchObject({ ok: true });
    await value('session.signOut', {}, token);
  });
});

describe('sessions', () => {
  it('signs out even when the audit cannot be written, and writes the entry later', async () => {
    const token = await signIn(colleague.userId, colleague.pin);
    const restore = await failAuditWrites();
    let answer;
    try {
      answer = await call('session.signOut', {}, token);
    } finally {
      restore();
    }
    expect(answer).toEqual({ ok: true, value: {} });
    expect(await call('session.current', {}, token)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(core.services.auditReports.deferredCount()).toBe(1);
    // The store stays open for everyone else's work; the next entry carries the logout with it.
    const next = await signIn(medic.userId, medic.pin);
    expect(actions(colleague.userId, 1)).toEqual(['logout']);
    await value('session.signOut', {}, next);
  });
});

describe('background work', () => {
  it('records sync batches under the user at the keyboard, or the device when nobody is signed in', async () => {
    const token = await signIn(colleague.userId, colleague.pin);
    await value('sync.run', {}, token);
    expect(actions(colleague.userId, 3)).toContain('sync.batch');
    await value('session.signOut', {}, token);

    const before = core.store().audit.recentForUser(SYSTEM_USER_ID, 50).length;
    expect((await core.services.store.syncNow()).lastFailure).toBeNull(); // the timer's run, with nobody signed in
    const rows = core.store().audit.recentForUser(SYSTEM_USER_ID, 50);
    expect(rows.length).toBe(before + 1);
    expect(joinFact(rows[0]!, rows[0]!.body)).toMatchObject({ action: 'sync.batch', role: null, deviceId: core.app.deviceId });
  });

  it('catches a failing remote-wipe check instead of crashing, and logs it without PHI', async () => {
    const sandbox = core.sandbox!;
    // The central record refuses the Device search after a good pull: the check fails, sync does not.
    // A Retry-After past the client's limit: refused at once, no backoff to wait through.
    sandbox.faults.set({ mode: 'status', status: 429, retryAfterS: 3600, pathPrefix: 'Device' });
    try {
      expect((await core.services.store.syncNow()).lastFailure).toBeNull();
      for (let i = 0; i < 50 && core.app.wipeCheckFailures() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      sandbox.faults.reset();
    }
    expect(core.app.wipeCheckFailures()).toBe(1);
    expect(log.some((line) => line.startsWith('remote wipe check failed'))).toBe(true);
    expect(log.join('\n')).not.toMatch(/Zebedee|9990000018/);
  });

  it('delivers the audit trail even when the record sync stops before the incident scope', async () => {
    const token = await signIn(medic.userId, medic.pin);
    const sandbox = core.sandbox!;
    sandbox.faults.set({ mode: 'status', status: 500, pathPrefix: 'Task' });
    let status;
    try {
      status = await value('sync.run', {}, token);
    } finally {
      sandbox.faults.reset();
    }
    expect(status.lastFailure).not.toBeNull();
    // Everything written so far (the login included) was delivered by the run that failed.
    const unsent = core.store().audit.pending(10_000);
    expect(unsent).toEqual([]);
  }, 60_000);
});

// Last: it needs a fresh, never-unlocked device, so the shared core is closed first.
describe('parallel sign-ins', () => {
  it('two parallel sign-ins on a locked device open the store once and share it', async () => {
    await core.close(); // one store per process at a time (RxDB names its database per process)
    isClosed = true;
    const fresh = await startCore(tempDataDir('app-state-parallel'), log);
    const on = caller(() => fresh);
    try {
      const before = opens.count;
      const [a, b] = await Promise.all([on.signIn(colleague.userId, colleague.pin), on.signIn(medic.userId, medic.pin)]);
      expect(opens.count - before).toBe(1);
      await on.value('sync.run', {}, a);
      expect((await on.value('incidents.list', {}, a)).incidents.length).toBeGreaterThan(0);
      expect((await on.value('incidents.list', {}, b)).incidents.length).toBeGreaterThan(0);
      expect(fresh.store().audit.verify()).toMatchObject({ ok: true });
    } finally {
      await fresh.close();
    }
  });
});
