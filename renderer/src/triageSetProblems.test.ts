import { describe, expect, it } from 'vitest';
import { EMPTY_ENTRIES } from '../../contract';
import { toDatetimeLocal, toIsoWithOffset } from './triageDates';
import { FULL_ENTRIES } from './triageFixture';
import { setProblems, type SetProblemInput } from './triageSetProblems';

const nowMs = new Date(2025, 2, 3, 10, 42).getTime();
const base: SetProblemInput = {
  entries: FULL_ENTRIES, spo2Scale: { scale: 1 }, takenAtText: toDatetimeLocal(toIsoWithOffset(new Date(nowMs))), nowMs,
  isAttempted: false, touched: new Set(), correction: null,
};

describe('problems with a set on screen', () => {
  it('shows a range problem at its field only once the field has been left, and always after "Record"', () => {
    const input = { ...base, entries: { ...FULL_ENTRIES, respirationRate: '95' } };
    expect(setProblems(input).atFields).toEqual([]);
    const left = setProblems({ ...input, touched: new Set(['respirationRate']) }).atFields;
    expect(left.map((p) => p.message)).toEqual(['Respiration rate must be between 0 and 80 breaths a minute']);
    expect(setProblems({ ...input, isAttempted: true }).blocking).toEqual([
      { text: 'Respiration rate must be between 0 and 80 breaths a minute', fieldId: 'obs-respirationRate', isLocal: true },
    ]);
  });

  it('needs at least one observation, a real time taken and the Scale 2 reason', () => {
    const texts = setProblems({ ...base, entries: EMPTY_ENTRIES, takenAtText: '', spo2Scale: { scale: 2, documentedBy: 'clinician', reason: '' } }).blocking.map((b) => b.text);
    expect(texts).toContain('Enter at least one observation');
    expect(texts).toContain('Enter the date and time these observations were taken');
    expect(texts.some((t) => t.startsWith('Give the reason this patient has an SpO2 target'))).toBe(true);
  });

  it('asks a correction for its kind and reason, and ignores typed values when withdrawing a set', () => {
    const broken = { ...base, entries: { ...FULL_ENTRIES, pulse: '400' } };
    expect(setProblems({ ...broken, correction: { status: null, reason: '' } }).blocking.map((b) => b.fieldId)).toEqual(['obs-pulse', 'corr-status-amended', 'corr-reason']);
    expect(setProblems({ ...broken, correction: { status: 'entered-in-error', reason: 'Wrong patient' } }).blocking).toEqual([]);
  });
});
