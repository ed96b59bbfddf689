import { describe, expect, it } from 'vitest';
import { createRefusalRecorder } from './refusalRecorder';

describe('refusal recorder', () => {
  it('records the first refusal, holds the rest of the window back, and counts them into the next entry', () => {
    const recorder = createRefusalRecorder(60_000);
    const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s));
    expect(recorder.take('wait:medic', at(0))).toBe(1);
    for (let i = 1; i <= 40; i++) expect(recorder.take('wait:medic', at(i))).toBeNull();
    expect(recorder.take('wait:other', at(41))).toBe(1); // another key has its own window
    expect(recorder.take('wait:medic', at(61))).toBe(41); // this one plus the 40 held back
  });
  it('a clock moved backwards does not keep holding attempts back for ever', () => {
    const recorder = createRefusalRecorder(60_000);
    expect(recorder.take('unknown', new Date('2026-12-03T10:00:00Z'))).toBe(1);
    expect(recorder.take('unknown', new Date('2026-12-03T09:00:00Z'))).toBe(1);
  });
});
