import { describe, expect, it } from 'vitest';
import { numericField, problemTargetId, sanitiseTyped, stepTyped } from './triageFields';

describe('numeric fields', () => {
  it('keeps only what the store can keep, turning a comma decimal into a point', () => {
    expect(sanitiseTyped('37,5')).toBe('37.5');
    expect(sanitiseTyped(' 120 ')).toBe('120');
    expect(sanitiseTyped('')).toBe('');
    expect(sanitiseTyped('12a')).toBeNull();
    expect(sanitiseTyped('1.2.3')).toBeNull();
    expect(sanitiseTyped('123456789')).toBeNull();
  });

  it('steps by the field step, to its decimals, within its limits', () => {
    const temperature = numericField('temperatureC');
    expect(stepTyped('37.4', temperature, 1)).toBe('37.5');
    expect(stepTyped('37.45', temperature, -1)).toBe('37.4');
    expect(stepTyped('45', temperature, 1)).toBe('45.0');
    const rate = numericField('respirationRate');
    expect(stepTyped('0', rate, -1)).toBe('0');
    expect(stepTyped('22', rate, 1)).toBe('23');
    expect(stepTyped('50', numericField('spo2'), -1)).toBe('50'); // core's plausible floor
  });

  it('starts an empty field from its usual value rather than from zero', () => {
    expect(stepTyped('', numericField('spo2'), 1)).toBe('96');
    expect(stepTyped('', numericField('temperatureC'), -1)).toBe('37.0');
    expect(stepTyped('-', numericField('pulse'), 1)).toBe('80');
  });

  it('links problems to an input that exists', () => {
    expect(problemTargetId('respirationRate')).toBe('obs-respirationRate');
    expect(problemTargetId('consciousness')).toBe('obs-consciousness-A');
    expect(problemTargetId('set')).toBe('obs-respirationRate');
  });
});
