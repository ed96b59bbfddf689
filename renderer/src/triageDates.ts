/**
 * Times the crew edits (when a set was taken, recognition of life extinct) go through
 * `<input type="datetime-local">`, which knows no zone; the store wants ISO 8601 with an offset.
 * Both directions use the device's zone, as the crew reads the clock in the cab.
 */

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/**
 * ISO 8601 with the local offset, e.g. "2025-03-03T10:42:00+00:00" (never a bare "Z", so the
 * record shows the clock the crew saw).
 */
export function toIsoWithOffset(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${offset}`
  );
}

/** The value a datetime-local input shows for an ISO time ("YYYY-MM-DDTHH:MM"); '' when unreadable. */
export function toDatetimeLocal(iso: string | null): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) return '';
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as ISO with offset; null when empty or not a real time. */
export function fromDatetimeLocal(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, Number.isFinite(s) ? s : 0);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return toIsoWithOffset(date);
}

/** Keeps the seconds of the stored time when the minute shown has not changed (the input shows minutes only). */
export function keepSecondsIfSameMinute(storedIso: string, editedIso: string): string {
  return toDatetimeLocal(storedIso) === toDatetimeLocal(editedIso) ? storedIso : editedIso;
}
