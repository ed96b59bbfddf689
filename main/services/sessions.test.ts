import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../../contract/views';
import { createSessionRegistry } from './sessions';

const alex: UserSummary = { userId: 'a', displayName: 'A', role: 'paramedic', vehicle: 'K101' };
const sam: UserSummary = { userId: 'b', displayName: 'B', role: 'paramedic', vehicle: 'K101' };

/** The registry with a clock the test moves (real code; only time is controlled). */
function registry(idleLockMs: number) {
  let t = Date.parse('2025-03-01T03:00:00Z');
  const sessions = createSessionRegistry({ now: () => new Date(t), idleLockMs: () => idleLockMs });
  return { sessions, advance: (ms: number) => (t += ms) };
}

describe('session registry', () => {
  it('names the user at the keyboard: the most recently active unlocked session, or nobody', () => {
    const { sessions, advance } = registry(60_000);
    expect(sessions.mostRecentlyActive()).toBeNull();
    const a = sessions.start(alex, null);
    advance(1_000);
    const b = sessions.start(sam, null);
    expect(sessions.mostRecentlyActive()?.user.userId).toBe('b');
    advance(1_000);
    sessions.touch(a.token);
    expect(sessions.mostRecentlyActive()?.user.userId).toBe('a');
    sessions.lock(a.token);
    expect(sessions.mostRecentlyActive()?.user.userId).toBe('b');
    advance(60_000); // b idles into a lock too
    expect(sessions.mostRecentlyActive()).toBeNull();
    sessions.end(b.token);
    expect(sessions.mostRecentlyActive()).toBeNull();
  });

  it('auto-locks after the idle limit even if no timer ran, and activity postpones it', () => {
    const { sessions, advance } = registry(60_000);
    const s = sessions.start(alex, null);
    advance(59_000);
    expect(sessions.resolve(s.token, 'incidents.list').session).not.toBeNull();
    sessions.touch(s.token);
    advance(59_000);
    expect(sessions.get(s.token)).not.toBeNull();
    advance(1_000);
    const locked = sessions.resolve(s.token, 'incidents.list');
    expect(locked).toEqual({ session: null, error: { code: 'locked', message: 'OnScene is locked. Enter your PIN to unlock it.' } });
    // Touching a locked session does not unlock it: only the PIN does.
    expect(sessions.touch(s.token)).toBeNull();
    expect(sessions.resolve(s.token, 'session.unlock').session?.isLocked).toBe(true);
    sessions.unlock(s.token);
    expect(sessions.get(s.token)?.isLocked).toBe(false);
  });

  it('gives a locked session only unlock, sign-out and pending work', () => {
    const { sessions } = registry(60_000);
    const s = sessions.start(alex, null);
    sessions.lock(s.token);
    for (const method of ['session.unlock', 'session.signOut', 'session.pendingWork']) expect(sessions.resolve(s.token, method).session).not.toBeNull();
    for (const method of ['incidents.list', 'record.open', 'record.openWithPurpose', 'patients.lookup', 'audit.mine', 'session.current', 'access.breakGlass']) {
      expect(sessions.resolve(s.token, method).error.code).toBe('locked');
    }
    expect(sessions.resolve('forged', 'incidents.list').error.code).toBe('unauthenticated');
  });

  it('at shift change ends the other user locked session only', () => {
    const { sessions } = registry(60_000);
    const a = sessions.start(alex, null);
    const b = sessions.start(sam, null);
    const a2 = sessions.start(alex, null);
    sessions.lock(a.token);
    expect(sessions.endLockedExcept(sam.userId)).toBe(1);
    expect(sessions.resolve(a.token, 'session.unlock').error.code).toBe('unauthenticated');
    expect(sessions.get(b.token)).not.toBeNull();
    expect(sessions.get(a2.token)).not.toBeNull();
  });
});
