import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, jitteredIntervalMs, parseRetryAfterMs, retryWaitMs } from './retry';

describe('backoff', () => {
  it('grows exponentially up to the cap, with jitter below the ceiling', () => {
    const top = { ...DEFAULT_RETRY_POLICY, random: () => 0.999999 };
    expect([1, 2, 3, 4, 10].map((a) => backoffDelayMs(top, a))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect(backoffDelayMs({ ...DEFAULT_RETRY_POLICY, random: () => 0 }, 4)).toBe(0);
  });
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('Mon, 01 Jun 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });
  it('waits at least what the server asked, spread by jitter so a fleet does not return in step (issue #18: 429 storm)', () => {
    const waits = [0, 0.25, 0.5, 0.999].map((r) => retryWaitMs({ ...DEFAULT_RETRY_POLICY, random: () => r }, 1, 2000));
    expect(waits).toEqual([2000, 2125, 2250, 2500]);
    expect(retryWaitMs({ ...DEFAULT_RETRY_POLICY, random: () => 0.5 }, 3, null)).toBe(1000);
  });
  it('spreads the background sync interval by ±10%', () => {
    expect([0, 0.5, 1].map((r) => jitteredIntervalMs(30_000, () => r))).toEqual([27_000, 30_000, 33_000]);
  });
});
