import { describe, expect, it } from 'vitest';
import { formatAbsoluteTime, formatAge, formatFhirDate, formatRelativeTime, parseFhirDate } from './timeFormat';

const at = (iso: string): number => Date.parse(iso);

describe('formatRelativeTime', () => {
  const base = '2025-03-03T12:00:00Z';
  it.each([
    ['2025-03-03T12:00:10Z', 'just now'],
    ['2025-03-03T12:00:50Z', '1 minute ago'],
    ['2025-03-03T12:03:10Z', '3 minutes ago'],
    ['2025-03-03T12:59:00Z', '59 minutes ago'],
    ['2025-03-03T13:00:00Z', '1 hour ago'],
    ['2025-03-03T17:30:00Z', '5 hours ago'],
    ['2025-03-04T12:00:00Z', '1 day ago'],
    ['2025-03-13T12:00:00Z', '10 days ago'],
  ])('at %s says %s', (now, expected) => {
    expect(formatRelativeTime(base, at(now))).toBe(expected);
  });
  it('treats a time in the future (clock skew) as just now', () => {
    expect(formatRelativeTime('2025-03-03T12:05:00Z', at(base))).toBe('just now');
  });
  it('says so when the time is missing or invalid', () => {
    expect(formatRelativeTime(null, at(base))).toBe('at an unknown time');
    expect(formatRelativeTime('not a date', at(base))).toBe('at an unknown time');
  });
});

describe('formatAbsoluteTime', () => {
  it('formats day, short month, year and 24-hour time', () => {
    expect(formatAbsoluteTime('2025-03-03T14:05:00Z', 'UTC')).toBe('3 Mar 2025, 14:05');
  });
  it('does not invent a time', () => {
    expect(formatAbsoluteTime(undefined, 'UTC')).toBe('unknown time');
  });
});

describe('formatAge', () => {
  it('counts whole years, not rounding up before the birthday', () => {
    expect(formatAge('1950-06-15', at('2025-06-14T10:00:00Z'))).toBe('74 years');
    expect(formatAge('1950-06-15', at('2025-06-15T10:00:00Z'))).toBe('75 years');
  });
  it('uses months under 2 years and days under 1 month', () => {
    expect(formatAge('2024-01-10', at('2025-06-14T00:00:00Z'))).toBe('17 months');
    expect(formatAge('2025-06-01', at('2025-06-14T00:00:00Z'))).toBe('13 days');
    expect(formatAge('2025-05-14', at('2025-06-14T00:00:00Z'))).toBe('1 month');
  });
  it('handles partial FHIR dates and rejects nonsense', () => {
    expect(formatAge('1950', at('2025-06-14T00:00:00Z'))).toBe('75 years');
    expect(formatAge('1950-13-01', at('2025-06-14T00:00:00Z'))).toBeUndefined();
    expect(formatAge('2030-01-01', at('2025-06-14T00:00:00Z'))).toBeUndefined();
    expect(formatAge(null, at('2025-06-14T00:00:00Z'))).toBeUndefined();
  });
});

describe('FHIR dates', () => {
  it('parses full and partial dates', () => {
    expect(parseFhirDate('1950-06-15')).toEqual({ year: 1950, month: 6, day: 15 });
    expect(parseFhirDate('1950-06')).toEqual({ year: 1950, month: 6, day: 1 });
    expect(parseFhirDate('15/06/1950')).toBeUndefined();
  });
  it('formats only what is known', () => {
    expect(formatFhirDate('1950-06-05')).toBe('5 Jun 1950');
    expect(formatFhirDate('1950-06')).toBe('Jun 1950');
    expect(formatFhirDate('1950')).toBe('1950');
    expect(formatFhirDate('1950-00')).toBeUndefined();
  });
});
