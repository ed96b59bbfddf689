import { describe, expect, it } from 'vitest';
import { parseDateInterval, rangeForPrefix } from './dateRange';

const ms = (iso: string): number => Date.parse(iso);

describe('parseDateInterval', () => {
  it('treats a value as the interval its precision implies', () => {
    expect(parseDateInterval('2026')).toEqual({ startMs: ms('2026-01-01T00:00:00Z'), endMs: ms('2027-01-01T00:00:00Z') });
    expect(parseDateInterval('2026-02')).toEqual({ startMs: ms('2026-02-01T00:00:00Z'), endMs: ms('2026-03-01T00:00:00Z') });
    expect(parseDateInterval('2026-02-28')).toEqual({ startMs: ms('2026-02-28T00:00:00Z'), endMs: ms('2026-03-01T00:00:00Z') });
    expect(parseDateInterval('2026-06-01T10:00:00Z')).toEqual({ startMs: ms('2026-06-01T10:00:00Z'), endMs: ms('2026-06-01T10:00:01Z') });
    expect(parseDateInterval('2026-06-01T10:00:00.123Z')).toEqual({ startMs: ms('2026-06-01T10:00:00.123Z'), endMs: ms('2026-06-01T10:00:00.124Z') });
    expect(parseDateInterval('2026-06-01T11:00:00+01:00')?.startMs).toBe(ms('2026-06-01T10:00:00Z'));
  });

  it('rejects what is not a FHIR date', () => {
    for (const bad of ['yesterday', '2026-13-01', '26-01-01', '2026-06-01T10', '']) expect(parseDateInterval(bad)).toBeUndefined();
  });
});

describe('rangeForPrefix', () => {
  const day = { startMs: 100, endMs: 200 };
  it('follows the FHIR prefix rules', () => {
    expect(rangeForPrefix('ge', day)).toEqual({ startMs: 100, endMs: Infinity });
    expect(rangeForPrefix('gt', day)).toEqual({ startMs: 200, endMs: Infinity });
    expect(rangeForPrefix('lt', day)).toEqual({ startMs: -Infinity, endMs: 100 });
    expect(rangeForPrefix('le', day)).toEqual({ startMs: -Infinity, endMs: 200 });
    expect(rangeForPrefix('eq', day)).toEqual(day);
    expect(rangeForPrefix('ne', day)).toBeUndefined();
  });
});
