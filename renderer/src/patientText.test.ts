import { describe, expect, it } from 'vitest';
import { type PatientSummary } from '../../contract';
import { deathText, describeBirth, describeNhsNumber } from './patientText';

const patient: PatientSummary = { patientId: 'p1', nhsNumber: '9990000018', name: 'Ada Jones', birthDate: '1950-06-15', gender: 'female', address: null, isDeceased: false, deceasedAt: null, otherIdentifiers: [] };

describe('patient identity text', () => {
  it('shows birth date with age', () => {
    expect(describeBirth(patient, Date.parse('2025-06-14T09:00:00Z'))).toBe('Born 15 Jun 1950 (74 years)');
    expect(describeBirth({ ...patient, birthDate: null }, Date.now())).toBeUndefined();
  });
  it('computes the age to death for a deceased patient, never to today', () => {
    const died = { ...patient, isDeceased: true, deceasedAt: '2020-06-16T03:00:00Z' };
    expect(describeBirth(died, Date.parse('2026-11-24T09:00:00Z'))).toBe('Born 15 Jun 1950, died aged 70 years');
    expect(describeBirth({ ...patient, isDeceased: true }, Date.parse('2026-11-24T09:00:00Z'))).toBe('Born 15 Jun 1950, recorded as deceased');
    expect(deathText({ ...died, deceasedAt: '2020-06-16' })).toBe('Died 16 Jun 2020, aged 70 years');
    expect(deathText({ ...patient, isDeceased: true })).toBe('Date of death not recorded');
    expect(deathText(patient)).toBeUndefined();
  });
  it('formats the NHS number 3-3-4, and points to other identifiers when there is none', () => {
    expect(describeNhsNumber(patient)).toBe('999 000 0018');
    expect(describeNhsNumber({ ...patient, nhsNumber: null })).toBe('Not known');
    expect(describeNhsNumber({ ...patient, nhsNumber: null, otherIdentifiers: [{ label: 'Hospital number', value: 'X1' }] })).toBe('Not known (other identifiers in Patient details)');
  });
});
