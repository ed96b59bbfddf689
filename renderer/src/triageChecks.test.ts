import { describe, expect, it } from 'vitest';
import { openItems, scaleProblem, takenAtCheck } from './triageChecks';
import { toDatetimeLocal, toIsoWithOffset } from './triageDates';

describe('form checks', () => {
  const now = new Date(2025, 2, 3, 10, 42, 0).getTime();

  it('accepts a time taken now or earlier, refuses one more than 5 minutes ahead or unreadable', () => {
    expect(takenAtCheck(toDatetimeLocal(toIsoWithOffset(new Date(now))), now).problem).toBeNull();
    expect(takenAtCheck('2025-03-03T10:46', now).problem).toBeNull();
    expect(takenAtCheck('2025-03-03T10:48', now).problem?.message).toBe('The time taken cannot be in the future');
    expect(takenAtCheck('', now)).toEqual({ iso: null, problem: { field: 'takenAt', message: 'Enter the date and time these observations were taken' } });
  });

  it('asks for the reason when the clinician documents Scale 2', () => {
    expect(scaleProblem({ scale: 1 })).toBeNull();
    expect(scaleProblem({ scale: 2, documentedBy: 'record', reason: '' })).toBeNull();
    expect(scaleProblem({ scale: 2, documentedBy: 'clinician', reason: 'COPD, target on alert card' })).toBeNull();
    expect(scaleProblem({ scale: 2, documentedBy: 'clinician', reason: '  ' })?.field).toBe('spo2Scale');
  });
});

describe('error summary', () => {
  it('drops a local problem once fixed and keeps what main said', () => {
    const items = [
      { text: 'Respiration rate must be between 0 and 80 breaths a minute', fieldId: 'obs-respirationRate', isLocal: true },
      { text: 'Give the reason for the correction', fieldId: 'corr-reason', isLocal: true },
      { text: 'The device store is busy', isLocal: false },
    ];
    expect(openItems(items, ['Give the reason for the correction']).map((i) => i.text)).toEqual(['Give the reason for the correction', 'The device store is busy']);
    expect(openItems(items.slice(0, 2), [])).toEqual([]);
  });
});
