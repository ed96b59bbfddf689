import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';
import { lockEverySession } from './osLock';

// Issue #16: powerMonitor's suspend / lock-screen locks every session through the real services
// (sandbox over HTTP, encrypted SQLite); Electron only delivers the event (main.ts).
const [medic, colleague] = DEMO_USERS as unknown as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let core: TestCore;
const { call, signIn } = caller(() => core);

beforeAll(async () => {
  core = await startCore(tempDataDir('os-lock'));
});
afterAll(async () => {
  await core?.close();
});

describe('locking with the computer', () => {
  it('locks every signed-in session, audits each, and only the PIN unlocks', async () => {
    const first = await signIn(medic.userId, medic.pin);
    const second = await signIn(colleague.userId, colleague.pin);
    expect((await call('incidents.list', {}, first)).ok).toBe(true);

    expect(await lockEverySession(core.services, 'lock-screen')).toBe(2);
    for (const token of [first, second]) expect(await call('incidents.list', {}, token)).toMatchObject({ ok: false, error: { code: 'locked' } });
    for (const who of [medic, colleague]) {
      const locks = core.store().audit.recentForUser(who.userId, 20).filter((r) => r.action === 'session.lock');
      expect(locks.map((r) => r.body).join('\n')).toContain('locked with the computer');
    }

    // A second event (suspend right after the screen lock) finds nothing left to lock.
    expect(await lockEverySession(core.services, 'suspend')).toBe(0);
    expect((await call('session.unlock', { pin: medic.pin }, first)).ok).toBe(true);
    expect((await call('incidents.list', {}, first)).ok).toBe(true);
    expect(await call('incidents.list', {}, second)).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});
