/**
 * The clock holds expire by while the device is offline (issue #14: "holds expire on the device
 * clock bounded by the last server time, never before they should, also while offline").
 *
 * The device's wall clock cannot be trusted for this: one that jumps forward (a wrong time zone,
 * a flat CMOS battery, someone changing it) would purge a patient early, one that stops or runs
 * back would keep them for ever. So the purge clock is the last server time plus the time that
 * has demonstrably passed since, measured on a monotonic clock (CLOCK_MONOTONIC / QPC: it never
 * jumps, and it does not run while the machine sleeps). Elapsed time is credited as it is
 * observed and the credit is persisted, so restarts do not lose it. Time the machine was off or
 * asleep is credited only when it is provable: within one boot (same `epoch`) the monotonic
 * reading before and after is comparable; across a reboot nothing is credited. The estimate is
 * therefore never later than the true server time (no early purge), and it grows with every
 * minute the app runs (no hold kept for ever); the price is that a hold may outlive its end by
 * the time the device spent switched off.
 */

/** One reading of the monotonic clock; `epoch` names the boot (readings of different epochs are not comparable). */
export type MonotonicReading = Readonly<{ epoch: string; ms: number }>;

/** What is persisted between runs and restarts (sync state 'purge-clock'). */
export type PurgeClockState = Readonly<{
  /** The last time the central record told us (HTTP Date), ISO. */
  serverAt: string;
  /** Monotonic time known to have passed since serverAt, up to `mark`. */
  creditedMs: number;
  /** The monotonic reading creditedMs was counted up to. */
  mark: MonotonicReading;
}>;

/** Milliseconds provably passed between two readings: zero across boots, or if a reading went back. */
export function provenElapsedMs(from: MonotonicReading, to: MonotonicReading): number {
  if (from.epoch !== to.epoch) return 0;
  const elapsed = to.ms - from.ms;
  return Number.isFinite(elapsed) && elapsed > 0 ? elapsed : 0;
}

/**
 * A new answer from the central record: its time is the truth, and counting starts again from it.
 * An older server time than the clock already holds (answers arriving out of order) changes nothing.
 * @example anchorPurgeClock(null, '2026-12-03T10:00:00Z', reading) // { serverAt: '2026-12-03T10:00:00Z', creditedMs: 0, mark: reading }
 */
export function anchorPurgeClock(state: PurgeClockState | null, serverAt: string, reading: MonotonicReading): PurgeClockState {
  const serverMs = Date.parse(serverAt);
  if (!Number.isFinite(serverMs)) return state ?? { serverAt: new Date(0).toISOString(), creditedMs: 0, mark: reading };
  if (state && purgeClockMs(state, reading) > serverMs) {
    // Never move the clock back: an out-of-order answer must not undo time already proven (it would only delay, but
    // a server whose clock steps back would then delay every purge). Keep counting from where we are.
    return advancePurgeClock(state, reading);
  }
  return { serverAt: new Date(serverMs).toISOString(), creditedMs: 0, mark: reading };
}

/** Credits the time proven since the last mark and moves the mark (persist the result). */
export function advancePurgeClock(state: PurgeClockState, reading: MonotonicReading): PurgeClockState {
  return { serverAt: state.serverAt, creditedMs: state.creditedMs + provenElapsedMs(state.mark, reading), mark: reading };
}

/** The purge clock now, as epoch milliseconds: the last server time plus the time proven since. */
export function purgeClockMs(state: PurgeClockState, reading: MonotonicReading): number {
  return Date.parse(state.serverAt) + state.creditedMs + provenElapsedMs(state.mark, reading);
}

/** The purge clock now, as an ISO string (what holds' `untilAt` are compared with). */
export function purgeClockAt(state: PurgeClockState, reading: MonotonicReading): string {
  return new Date(purgeClockMs(state, reading)).toISOString();
}

/** A persisted value read back: anything malformed is no clock at all (nothing is purged offline until the next server answer). */
export function parsePurgeClock(raw: unknown): PurgeClockState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const mark = r['mark'] as Record<string, unknown> | undefined;
  const serverAt = r['serverAt'];
  const creditedMs = r['creditedMs'];
  if (typeof serverAt !== 'string' || !Number.isFinite(Date.parse(serverAt))) return null;
  if (typeof creditedMs !== 'number' || !Number.isFinite(creditedMs) || creditedMs < 0) return null;
  if (typeof mark?.['epoch'] !== 'string' || typeof mark['ms'] !== 'number' || !Number.isFinite(mark['ms'])) return null;
  return { serverAt, creditedMs, mark: { epoch: mark['epoch'], ms: mark['ms'] } };
}
