/**
 * FHIR date search values have a precision, and a value is an interval, not an instant:
 * `ge2026-01-01` means "on or after the start of that day", `gt2026-01-01` "after its end".
 * See https://hl7.org/fhir/R4/search.html#date. We turn a value into [startMs, endMs).
 */
export type Interval = Readonly<{ startMs: number; endMs: number }>;

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function offsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0; // FHIR: a time without a zone is the server's zone; ours is UTC.
  const sign = zone.startsWith('-') ? -1 : 1;
  const [h = '0', m = '0'] = zone.slice(1).split(':');
  return sign * (Number(h) * 60 + Number(m)) * 60_000;
}

/** Parses a FHIR date/dateTime/instant search value; undefined when it is not one. */
export function parseDateInterval(value: string): Interval | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, hh, mi, ss, frac, zone] = m;
  const year = Number(y);
  const month = mo ? Number(mo) - 1 : 0;
  const day = d ? Number(d) : 1;
  if (month > 11 || day < 1 || day > 31) return undefined;
  const base = Date.UTC(year, month, day, Number(hh ?? 0), Number(mi ?? 0), Number(ss ?? 0));
  const fracMs = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const startMs = base + fracMs - offsetMs(zone);
  if (!Number.isFinite(startMs)) return undefined;
  let endMs: number;
  if (!mo) endMs = Date.UTC(year + 1, 0, 1);
  else if (!d) endMs = Date.UTC(year, month + 1, 1);
  else if (!hh) endMs = Date.UTC(year, month, day + 1);
  else if (!ss) endMs = startMs + 60_000;
  else if (!frac) endMs = startMs + 1000;
  else endMs = startMs + Math.max(1, 10 ** (3 - Math.min(frac.length, 3)));
  return { startMs, endMs };
}

/**
 * The [lowMs, highMs) range of instants (millisecond precision) that satisfy `op value`, or
 * undefined for prefixes we do not index (ne, sa, eb, ap): the caller falls back to Medplum.
 */
export function rangeForPrefix(op: string, interval: Interval): Interval | undefined {
  switch (op) {
    case 'eq': return interval;
    case 'ge': return { startMs: interval.startMs, endMs: Infinity };
    case 'gt': return { startMs: interval.endMs, endMs: Infinity };
    case 'le': return { startMs: -Infinity, endMs: interval.endMs };
    case 'lt': return { startMs: -Infinity, endMs: interval.startMs };
    default: return undefined;
  }
}
