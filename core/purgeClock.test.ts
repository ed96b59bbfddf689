import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MonotonicReading, type PurgeClockState, advancePurgeClock, anchorPurgeClock, parsePurgeClock, purgeClockAt, purgeClockMs } from './purgeClock';

const T0 = '2026-12-03T10:00:00.000Z';
const at = (epoch: string, ms: number): MonotonicReading => ({ epoch, ms });
const HOUR = 3_600_000;

describe('purge clock', () => {
  it('starts at the server time and runs with the monotonic clock', () => {
    const clock = anchorPurgeClock(null, T0, at('boot-1', 5_000));
    expect(purgeClockAt(clock, at('boot-1', 5_000))).toBe(T0);
    expect(purgeClockAt(clock, at('boot-1', 5_000 + 2 * HOUR))).toBe('2026-12-03T12:00:00.000Z');
  });

  it('ignores the device wall clock entirely: a clock set a day forward purges nothing early', () => {
    // The function takes no wall-clock input at all; the only way time passes is a monotonic reading.
    const clock = anchorPurgeClock(null, T0, at('boot-1', 0));
    expect(purgeClockMs(clock, at('boot-1', 60_000)) - Date.parse(T0)).toBe(60_000);
  });

  it('keeps the time proven before a restart, and credits the downtime within the same boot', () => {
    let clock = anchorPurgeClock(null, T0, at('boot-1', 0));
    clock = advancePurgeClock(clock, at('boot-1', 3 * HOUR)); // persisted by the offline purge timer
    const restored = parsePurgeClock(JSON.parse(JSON.stringify(clock)));
    expect(restored).toEqual(clock);
    // The app restarted an hour later, same boot: that hour is proven too.
    expect(purgeClockMs(restored!, at('boot-1', 4 * HOUR)) - Date.parse(T0)).toBe(4 * HOUR);
  });

  it('credits nothing across a reboot (the new boot’s readings say nothing about the old one), but counts again after it', () => {
    let clock = anchorPurgeClock(null, T0, at('boot-1', 10 * HOUR));
    clock = advancePurgeClock(clock, at('boot-1', 11 * HOUR));
    expect(purgeClockMs(clock, at('boot-2', 50 * HOUR)) - Date.parse(T0)).toBe(HOUR);
    clock = advancePurgeClock(clock, at('boot-2', 50 * HOUR));
    expect(purgeClockMs(clock, at('boot-2', 52 * HOUR)) - Date.parse(T0)).toBe(3 * HOUR);
  });

  it('never runs back: a reading lower than the mark counts as no time, and an older server time does not undo time proven', () => {
    const clock = anchorPurgeClock(null, T0, at('boot-1', 10_000));
    expect(purgeClockMs(clock, at('boot-1', 1_000))).toBe(Date.parse(T0));
    const later = advancePurgeClock(clock, at('boot-1', 10_000 + HOUR));
    const stale = anchorPurgeClock(later, '2026-12-03T10:30:00.000Z', at('boot-1', 10_000 + HOUR));
    expect(purgeClockAt(stale, at('boot-1', 10_000 + HOUR))).toBe('2026-12-03T11:00:00.000Z');
    const fresh = anchorPurgeClock(later, '2026-12-03T11:20:00.000Z', at('boot-1', 10_000 + HOUR));
    expect(purgeClockAt(fresh, at('boot-1', 10_000 + HOUR))).toBe('2026-12-03T11:20:00.000Z');
  });

  it('reads a malformed persisted value as no clock', () => {
    expect(parsePurgeClock(null)).toBeNull();
    expect(parsePurgeClock({ serverAt: 'yesterday', creditedMs: 0, mark: { epoch: 'b', ms: 0 } })).toBeNull();
    expect(parsePurgeClock({ serverAt: T0, creditedMs: -5, mark: { epoch: 'b', ms: 0 } })).toBeNull();
    expect(parsePurgeClock({ serverAt: T0, creditedMs: 0, mark: { epoch: 'b' } })).toBeNull();
  });
});

/**
 * A device's life as events: time passing while the app runs, while the machine sleeps (the
 * monotonic clock stops), a restart of the app (same boot), a reboot, and answers from the
 * central record. The wall clock is whatever it likes; the purge clock never sees it.
 */
type Step =
  | Readonly<{ kind: 'run'; ms: number }>
  | Readonly<{ kind: 'sleep'; ms: number }>
  | Readonly<{ kind: 'restart'; ms: number }>
  | Readonly<{ kind: 'reboot'; ms: number; uptimeMs: number }>
  | Readonly<{ kind: 'server'; skewMs: number }>
  | Readonly<{ kind: 'persist' }>;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('run' as const), ms: fc.integer({ min: 0, max: 6 * HOUR }) }),
  fc.record({ kind: fc.constant('sleep' as const), ms: fc.integer({ min: 0, max: 24 * HOUR }) }),
  fc.record({ kind: fc.constant('restart' as const), ms: fc.integer({ min: 0, max: 2 * HOUR }) }),
  fc.record({ kind: fc.constant('reboot' as const), ms: fc.integer({ min: 0, max: 48 * HOUR }), uptimeMs: fc.integer({ min: 0, max: 10 * 24 * HOUR }) }),
  fc.record({ kind: fc.constant('server' as const), skewMs: fc.integer({ min: -2_000, max: 0 }) }),
  fc.record({ kind: fc.constant('persist' as const) }),
);

describe('purge clock properties', () => {
  it('is never later than the true time, and lags it by no more than the time spent asleep, switched off or restarting', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let trueMs = Date.parse(T0);
        let boot = 1;
        // A monotonic clock that starts at an arbitrary value in each boot (after a reboot it may even read higher than before).
        let mono = 1_000;
        let clock: PurgeClockState = anchorPurgeClock(null, T0, at('boot-1', mono));
        let persisted: PurgeClockState = clock;
        let unprovenMs = 0; // time that passed where the monotonic clock could not prove it
        const reading = () => at(`boot-${boot}`, mono);
        for (const s of steps) {
          if (s.kind === 'run') {
            trueMs += s.ms;
            mono += s.ms;
          } else if (s.kind === 'sleep') {
            trueMs += s.ms;
            unprovenMs += s.ms;
          } else if (s.kind === 'restart') {
            trueMs += s.ms;
            mono += s.ms; // the machine stayed on: the reading after the restart proves this time
            clock = persisted;
          } else if (s.kind === 'reboot') {
            trueMs += s.ms;
            boot++;
            mono = s.uptimeMs;
            // Everything since the last persisted mark is lost to proof.
            unprovenMs = trueMs - purgeClockMs(persisted, reading());
            // The engine marks the new boot and persists it when it starts.
            clock = advancePurgeClock(persisted, reading());
            persisted = clock;
          } else if (s.kind === 'server') {
            // The server's Date header (whole seconds, and a little behind by the time it arrives).
            clock = anchorPurgeClock(clock, new Date(trueMs + s.skewMs).toISOString(), reading());
            persisted = clock; // the engine persists every server answer at once
            unprovenMs = trueMs - purgeClockMs(clock, reading());
          } else {
            clock = advancePurgeClock(clock, reading());
            persisted = clock;
          }
          const estimate = purgeClockMs(clock, reading());
          expect(estimate).toBeLessThanOrEqual(trueMs);
          expect(trueMs - estimate).toBeLessThanOrEqual(unprovenMs);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a persisted clock read back says the same time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (serverMs, markMs, laterMs) => {
        const clock = advancePurgeClock(anchorPurgeClock(null, new Date(serverMs).toISOString(), at('b', markMs)), at('b', markMs + laterMs));
        const back = parsePurgeClock(JSON.parse(JSON.stringify(clock)));
        expect(back && purgeClockMs(back, at('b', markMs + laterMs))).toBe(purgeClockMs(clock, at('b', markMs + laterMs)));
      }),
    );
  });
});
