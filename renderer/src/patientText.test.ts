import { describe, expect, it } from 'vitest';
import { describeBirth, describeNhsNumber } from './patientText';

const patient = { patientId: 'p1', nhsNumber: '9990000018', name: 'Ada Jones', birthDate: '1950-06-15', gender: 'female', address: null };

describe('patient identity text', () => {
  it('shows birth date with age', () => {
    expect(describeBirth(patient, Date.parse('2025-06-14T09:00:00Z'))).toBe('Born 15 Jun 1950 (74 years)');
    expect(describeBirth({ ...patient, birthDate: null }, Date.now())).toBeUndefined();
  });
  it('formats the NHS number 3-3-4', () => {
    expect(describeNhsNumber(patient)).toBe('999 000 0018');
    expect(describeNhsNumber({ ...patient, nhsNumber: null })).toBe('Not known');
  });
});
