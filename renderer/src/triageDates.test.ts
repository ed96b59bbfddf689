import { describe, expect, it } from 'vitest';
import { fromDatetimeLocal, keepSecondsIfSameMinute, toDatetimeLocal, toIsoWithOffset } from './triageDates';

describe('datetime-local round trip', () => {
  it('writes ISO with the local offset that reads back as the same instant', () => {
    const date = new Date(2025, 2, 3, 10, 42, 13);
    const iso = toIsoWithOffset(date);
    expect(iso).toMatch(/^2025-03-03T10:42:13[+-]\d{2}:\d{2}$/);
    expect(Date.parse(iso)).toBe(date.getTime());
  });

  it('shows a stored time in the input and reads the input back', () => {
    const iso = toIsoWithOffset(new Date(2025, 2, 3, 10, 42, 0));
    expect(toDatetimeLocal(iso)).toBe('2025-03-03T10:42');
    expect(fromDatetimeLocal('2025-03-03T10:42')).toBe(iso);
    expect(toDatetimeLocal(null)).toBe('');
  });

  it('refuses empty and impossible times', () => {
    expect(fromDatetimeLocal('')).toBeNull();
    expect(fromDatetimeLocal('2025-02-30T10:00')).toBeNull();
    expect(fromDatetimeLocal('10:00')).toBeNull();
  });

  it('keeps the seconds of a time whose minute was not changed', () => {
    const stored = toIsoWithOffset(new Date(2025, 2, 3, 10, 42, 13));
    expect(keepSecondsIfSameMinute(stored, fromDatetimeLocal('2025-03-03T10:42') ?? '')).toBe(stored);
    expect(keepSecondsIfSameMinute(stored, fromDatetimeLocal('2025-03-03T10:43') ?? '')).not.toBe(stored);
  });
});
