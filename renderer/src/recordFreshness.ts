/**
 * "May have changed", decided on screen from the renderer's own clock (issue #11): only for
 * safety-critical items (resuscitation decision, alerts, allergies, care plans), only when their
 * confirmation is older than the record's threshold, and always with the reason.
 */
import { parseIsoMs } from './timeFormat';

/** What the device knows of its link to the central record, for the reason text. */
export type Connection = Readonly<{
  /** The central record is unreachable now. */
  isOffline: boolean;
  /** The last time a sync reached the central record (sync status lastSuccessAt). */
  lastContactAt: string | null;
}>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/**
 * A sync stamps confirmations with its pull's start (server time) and reports success at its end
 * (device time): a confirmation this close to the last contact came from that sync.
 */
const SAME_SYNC_MS = 10 * MINUTE_MS;
const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** True when a confirmation time is older than the threshold, or cannot be read. */
export function isStale(confirmedAt: string | null | undefined, nowMs: number, staleAfterMs: number): boolean {
  const at = parseIsoMs(confirmedAt);
  return at === undefined || nowMs - at > staleAfterMs;
}

/** "14 hours", "50 minutes", "3 days": how long something has gone unconfirmed. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < HOUR_MS) return plural(Math.max(1, Math.floor(safe / MINUTE_MS)), 'minute');
  if (safe < 48 * HOUR_MS) return plural(Math.floor(safe / HOUR_MS), 'hour');
  return plural(Math.floor(safe / (24 * HOUR_MS)), 'day');
}

/** "02:10" today, "23 Nov, 02:10" on another day (device local time; `timeZone` is for tests). */
export function formatClock(iso: string, nowMs: number, timeZone?: string): string {
  const ms = parseIsoMs(iso);
  if (ms === undefined) return 'an unknown time';
  const zone = timeZone ? { timeZone } : {};
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...zone });
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...zone }).format(new Date(ms));
  return day.format(new Date(ms)) === day.format(new Date(nowMs)) ? time : `${day.format(new Date(ms))}, ${time}`;
}

/**
 * Why an item may have changed, in the crew's words:
 * "not confirmed for 14 hours: no signal since 02:10", or, online, that syncs since have not
 * covered it ("the last sync, at 09:40, did not include it").
 */
export function staleReason(confirmedAt: string | null | undefined, nowMs: number, connection: Connection, timeZone?: string): string {
  const at = parseIsoMs(confirmedAt);
  const since = at === undefined ? 'never confirmed by the central record' : `not confirmed for ${formatDuration(nowMs - at)}`;
  const contact = parseIsoMs(connection.lastContactAt);
  if (connection.isOffline) {
    return connection.lastContactAt && contact !== undefined ? `${since}: no signal since ${formatClock(connection.lastContactAt, nowMs, timeZone)}` : `${since}: no signal`;
  }
  if (connection.lastContactAt && contact !== undefined && (at === undefined || contact > at + SAME_SYNC_MS)) {
    return `${since}: the last sync, at ${formatClock(connection.lastContactAt, nowMs, timeZone)}, did not include it`;
  }
  return connection.lastContactAt && contact !== undefined ? `${since}: no sync has finished since ${formatClock(connection.lastContactAt, nowMs, timeZone)}` : `${since}: no sync has finished`;
}
