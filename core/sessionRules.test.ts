import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SESSION_POLICY,
  EMPTY_SIGN_IN_RECORD,
  type SignInRecord,
  backoffDelayMs,
  describeWait,
  gateMessage,
  isIdleExpired,
  reauthDeadline,
  recordFailure,
  recordSuccess,
  signInGate,
} from './sessionRules';

const policy = DEFAULT_SESSION_POLICY;
const t0 = new Date('2025-03-01T03:00:00.000Z');
const after = (msLater: number) => new Date(t0.getTime() + msLater);
const DAY = 86_400_000;
const onlineAt = (at: Date): SignInRecord => recordSuccess(EMPTY_SIGN_IN_RECORD, at, 'online');

function failTimes(record: SignInRecord, count: number, at: Date): SignInRecord {
  let next = record;
  for (let i = 0; i < count; i++) next = recordFailure(next, at);
  return next;
}

describe('backoffDelayMs', () => {
  it('allows the free attempts, then doubles from the base, then caps', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i, policy));
    expect(delays.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(delays.slice(4, 8)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(policy.maxDelayMs);
    expect(backoffDelayMs(10_000, policy)).toBe(policy.maxDelayMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
  });
});

describe('signInGate', () => {
  const fresh = onlineAt(t0);

  it('is open for a user with no failures who signed in online recently', () => {
    expect(signInGate(fresh, after(1000), policy, 'offline')).toEqual({ kind: 'open' });
  });

  it('makes the user wait after the free attempts, and says until when', () => {
    const record = failTimes(fresh, 4, after(0));
    const gate = signInGate(record, after(10_000), policy, 'offline');
    expect(gate).toEqual({ kind: 'wait', retryAt: after(30_000).toISOString(), waitMs: 20_000 });
    expect(gateMessage(gate)).toBe('Too many wrong PINs. Wait 20 seconds before trying again.');
    expect(signInGate(record, after(30_000), policy, 'offline')).toEqual({ kind: 'open' });
  });

  it('requires online sign-in after N failures, but online sign-in is still rate limited', () => {
    let record = fresh;
    let at = t0.getTime();
    for (let i = 0; i < policy.onlineAfterFailures; i++) {
      at += backoffDelayMs(record.failures, policy);
      record = recordFailure(record, new Date(at));
    }
    const later = new Date(at + policy.maxDelayMs);
    expect(signInGate(record, later, policy, 'offline')).toEqual({ kind: 'online-required', reason: 'too-many-failures' });
    expect(signInGate(record, later, policy, 'online')).toEqual({ kind: 'open' });
    expect(signInGate(record, new Date(at + 1), policy, 'online').kind).toBe('wait');
    const reset = recordSuccess(record, later, 'online');
    expect(reset.failures).toBe(0);
    expect(signInGate(reset, later, policy, 'offline')).toEqual({ kind: 'open' });
  });

  it('locks offline access at the re-auth deadline and not a moment before', () => {
    expect(reauthDeadline(fresh, policy)).toBe(after(policy.reauthAfterDays * DAY).toISOString());
    expect(signInGate(fresh, after(policy.reauthAfterDays * DAY - 1), policy, 'offline')).toEqual({ kind: 'open' });
    expect(signInGate(fresh, after(policy.reauthAfterDays * DAY), policy, 'offline')).toEqual({ kind: 'online-required', reason: 'reauth-overdue' });
    expect(signInGate(fresh, after(policy.reauthAfterDays * DAY), policy, 'online')).toEqual({ kind: 'open' });
  });

  it('an offline sign-in does not extend the deadline; an online one does', () => {
    const offline = recordSuccess(fresh, after(10 * DAY), 'offline');
    expect(reauthDeadline(offline, policy)).toBe(reauthDeadline(fresh, policy));
    const online = recordSuccess(fresh, after(10 * DAY), 'online');
    expect(reauthDeadline(online, policy)).toBe(after((10 + policy.reauthAfterDays) * DAY).toISOString());
  });

  it('requires a first online sign-in for a user who never had one', () => {
    expect(signInGate(EMPTY_SIGN_IN_RECORD, t0, policy, 'offline')).toEqual({ kind: 'online-required', reason: 'never-online' });
    expect(signInGate(EMPTY_SIGN_IN_RECORD, t0, policy, 'online')).toEqual({ kind: 'open' });
  });

  it('cannot be beaten by winding the clock back', () => {
    const seen = recordSuccess(fresh, after(13 * DAY), 'offline');
    // Clock moved back to day 1: the deadline is still judged from day 13.
    expect(signInGate(seen, after(policy.reauthAfterDays * DAY), policy, 'offline').kind).toBe('online-required');
    const failed = failTimes(fresh, 5, after(DAY));
    const gate = signInGate(failed, after(0), policy, 'offline');
    expect(gate.kind).toBe('wait');
  });

  it('gives every gate a message without PHI', () => {
    for (const reason of ['too-many-failures', 'reauth-overdue', 'never-online'] as const) {
      expect(gateMessage({ kind: 'online-required', reason })).toMatch(/online/);
    }
    expect(gateMessage({ kind: 'open' })).toBe('');
  });
});

describe('isIdleExpired and describeWait', () => {
  it('locks exactly at the idle limit', () => {
    expect(isIdleExpired(t0.toISOString(), after(policy.idleLockMs - 1), policy.idleLockMs)).toBe(false);
    expect(isIdleExpired(t0.toISOString(), after(policy.idleLockMs), policy.idleLockMs)).toBe(true);
  });
  it('rounds waits up into plain words', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(59_001)).toBe('1 minute');
    expect(describeWait(90_000)).toBe('2 minutes');
    expect(describeWait(3_600_000)).toBe('1 hour');
    expect(describeWait(3_900_000)).toBe('1 hour 5 minutes');
  });
});
