import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, isStale, staleReason } from './recordFreshness';

const now = Date.parse('2026-11-24T16:10:00Z');
const tz = 'UTC';

describe('recordFreshness', () => {
  it('is stale only past the threshold, or when the time cannot be read', () => {
    const h = 3_600_000;
    expect(isStale('2026-11-24T04:10:00Z', now, 12 * h)).toBe(false);
    expect(isStale('2026-11-24T04:09:59Z', now, 12 * h)).toBe(true);
    expect(isStale(null, now, 12 * h)).toBe(true);
    expect(isStale('nonsense', now, 12 * h)).toBe(true);
  });
  it('says how long in minutes, hours or days', () => {
    expect(formatDuration(30_000)).toBe('1 minute');
    expect(formatDuration(50 * 60_000)).toBe('50 minutes');
    expect(formatDuration(14 * 3_600_000 + 59 * 60_000)).toBe('14 hours');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
  });
  it('gives the clock time today and the date on another day', () => {
    expect(formatClock('2026-11-24T02:10:00Z', now, tz)).toBe('02:10');
    expect(formatClock('2026-11-23T23:50:00Z', now, tz)).toBe('23 Nov, 23:50');
  });
  it('gives the reason: no signal, a sync that did not cover it, or no sync since', () => {
    const confirmedAt = '2026-11-24T02:00:00Z';
    expect(staleReason(confirmedAt, now, { isOffline: true, lastContactAt: '2026-11-24T02:10:00Z' }, tz)).toBe('not confirmed for 14 hours: no signal since 02:10');
    expect(staleReason(confirmedAt, now, { isOffline: true, lastContactAt: null }, tz)).toBe('not confirmed for 14 hours: no signal');
    expect(staleReason(confirmedAt, now, { isOffline: false, lastContactAt: '2026-11-24T15:40:00Z' }, tz)).toBe('not confirmed for 14 hours: the last sync, at 15:40, did not include it');
    expect(staleReason(confirmedAt, now, { isOffline: false, lastContactAt: '2026-11-24T01:00:00Z' }, tz)).toBe('not confirmed for 14 hours: no sync has finished since 01:00');
    expect(staleReason(null, now, { isOffline: false, lastContactAt: null }, tz)).toBe('never confirmed by the central record: no sync has finished');
  });
  it('a confirmation stamped by the last sync itself (its start, server time) is not "a sync that did not include it"', () => {
    // Stamped at the pull's start, reported at the sync's end 4 minutes later.
    expect(staleReason('2026-11-24T02:00:00Z', now, { isOffline: false, lastContactAt: '2026-11-24T02:04:00Z' }, tz)).toBe('not confirmed for 14 hours: no sync has finished since 02:04');
    expect(staleReason('2026-11-24T02:00:00Z', now, { isOffline: false, lastContactAt: '2026-11-24T02:11:00Z' }, tz)).toBe('not confirmed for 14 hours: the last sync, at 02:11, did not include it');
  });
});
