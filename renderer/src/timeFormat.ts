/**
 * Pure time helpers for the UI: relative ages ("3 minutes ago"), absolute times and patient ages.
 * `nowMs` is always passed in so they are deterministic and testable.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Parses an ISO time; undefined when it is not a real date. */
export function parseIsoMs(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * How long ago an ISO time was, in plain words.
 * @example formatRelativeTime('2025-01-01T12:00:00Z', Date.parse('2025-01-01T12:03:10Z')) // '3 minutes ago'
 */
export function formatRelativeTime(iso: string | null | undefined, nowMs: number): string {
  const ms = parseIsoMs(iso);
  if (ms === undefined) return 'at an unknown time';
  // A time slightly in the future is clock skew between device and server, not a prophecy.
  const ago = Math.max(0, nowMs - ms);
  if (ago < 45_000) return 'just now';
  if (ago < HOUR_MS) return `${plural(Math.max(1, Math.round(ago / MINUTE_MS)), 'minute')} ago`;
  if (ago < DAY_MS) return `${plural(Math.floor(ago / HOUR_MS), 'hour')} ago`;
  return `${plural(Math.floor(ago / DAY_MS), 'day')} ago`;
}

/**
 * An absolute date and time for the screen, e.g. "3 Mar 2025, 14:05".
 * `timeZone` is for tests; the app shows device local time.
 */
export function formatAbsoluteTime(iso: string | null | undefined, timeZone?: string): string {
  const ms = parseIsoMs(iso);
  if (ms === undefined) return 'unknown time';
  const format = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  });
  return format.format(new Date(ms));
}

/** HH:MM on the device clock, for "updated at" notes on a screen the user is looking at now. */
export function clockTime(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).format(new Date(ms));
}

type DateParts = Readonly<{ year: number; month: number; day: number }>;

/** Parses a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); partial dates take the earliest day. */
export function parseFhirDate(value: string | null | undefined): DateParts | undefined {
  const match = value ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value) : null;
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : 1;
  const day = match[3] ? Number(match[3]) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year, month, day };
}

/** Whole months between a birth date and now (UTC calendar), or undefined if unknown. */
function monthsOld(birth: DateParts, nowMs: number): number {
  const now = new Date(nowMs);
  let months = (now.getUTCFullYear() - birth.year) * 12 + (now.getUTCMonth() + 1 - birth.month);
  if (now.getUTCDate() < birth.day) months -= 1;
  return months;
}

/**
 * A patient's age the way clinicians say it: years from 2, months under 2, days under 1 month.
 * @example formatAge('1950-06-15', Date.parse('2025-06-14T00:00:00Z')) // '74 years'
 */
export function formatAge(birthDate: string | null | undefined, nowMs: number): string | undefined {
  const birth = parseFhirDate(birthDate);
  if (!birth) return undefined;
  const months = monthsOld(birth, nowMs);
  if (months < 0) return undefined;
  if (months >= 24) return plural(Math.floor(months / 12), 'year');
  if (months >= 1) return plural(months, 'month');
  const days = Math.floor((nowMs - Date.UTC(birth.year, birth.month - 1, birth.day)) / DAY_MS);
  return days < 0 ? undefined : plural(days, 'day');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A FHIR date for display, e.g. "15 Jun 1950"; partial dates show only what is known. */
export function formatFhirDate(value: string | null | undefined): string | undefined {
  const match = value ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value) : null;
  if (!match) return undefined;
  const month = match[2] ? MONTHS[Number(match[2]) - 1] : undefined;
  if (match[2] && !month) return undefined;
  return [match[3] ? String(Number(match[3])) : undefined, month, match[1]].filter(Boolean).join(' ');
}
