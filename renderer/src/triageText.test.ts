import { describe, expect, it } from 'vitest';
import { clockTime, joinWords, news2Headline, notScoredText, shortTime, waitingText } from './triageText';

describe('triage wording', () => {
  it('says exactly what an incomplete set lacks, never a number', () => {
    expect(notScoredText(['temperature', 'consciousness'])).toBe('NEWS2 not scored: temperature and consciousness missing');
    expect(notScoredText(['respirationRate', 'onOxygen', 'systolicBp'])).toBe('NEWS2 not scored: respiration rate, air or oxygen and systolic blood pressure missing');
    expect(news2Headline({ isComplete: false, missing: ['spo2'] })).toBe('NEWS2 not scored: SpO2 missing');
    expect(news2Headline({ isComplete: false, missing: ['temperature'] })).not.toMatch(/\b\d+\b/);
  });

  it('gives the band in words beside the total', () => {
    const subScores = { respirationRate: 3, spo2: 0, onOxygen: 0, systolicBp: 0, pulse: 0, consciousness: 0, temperature: 0 };
    expect(news2Headline({ isComplete: true, total: 3, subScores, band: 'low-medium', response: '' })).toBe('NEWS2 3 — Low–medium');
    expect(news2Headline({ isComplete: true, total: 7, subScores, band: 'high', response: '' })).toBe('NEWS2 7 — High');
  });

  it('joins words the way people write them', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('counts what is waiting to upload, and does not claim "all uploaded" before anything is recorded', () => {
    expect(waitingText(8, true)).toBe('8 items waiting to upload to the shared care record');
    expect(waitingText(1, true)).toBe('1 item waiting to upload to the shared care record');
    expect(waitingText(0, true)).toBe('All recorded items uploaded');
    expect(waitingText(0, false)).toBe('Nothing recorded yet');
  });

  it('shows clock times with and without seconds', () => {
    expect(clockTime('2025-03-03T10:42:13Z', 'UTC')).toBe('10:42:13');
    expect(shortTime('2025-03-03T10:42:13Z', 'UTC')).toBe('10:42');
    expect(clockTime('nonsense')).toBe('an unknown time');
  });
});
