import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { communicationView, patientSummary } from './patient';
import { FIXTURE_NOW, ukCorePatient } from './recordFixtures';

describe('patientSummary', () => {
  it('reads the UK Core patient: name with prefix, NHS number, alive', () => {
    expect(patientSummary(ukCorePatient, FIXTURE_NOW)).toEqual({
      patientId: 'fx-patient', nhsNumber: '9990000018', name: 'Mrs Edith May CARVER', birthDate: '1938-04-02', gender: 'female',
      address: '12 Sample Row, LONDON, E1 6AN', isDeceased: false, deceasedAt: null, otherIdentifiers: [],
    });
  });
  it('shows a deceased patient as deceased, with or without a date', () => {
    expect(patientSummary({ ...ukCorePatient, deceasedDateTime: '2026-11-20T03:00:00Z' }, FIXTURE_NOW)).toMatchObject({ isDeceased: true, deceasedAt: '2026-11-20T03:00:00Z' });
    expect(patientSummary({ ...ukCorePatient, deceasedBoolean: true }, FIXTURE_NOW)).toMatchObject({ isDeceased: true, deceasedAt: null });
    expect(patientSummary({ ...ukCorePatient, deceasedBoolean: false }, FIXTURE_NOW).isDeceased).toBe(false);
  });
  it('offers other identifiers when there is no NHS number (Synthea shape)', () => {
    const synthea: Patient = {
      resourceType: 'Patient', id: 's',
      identifier: [
        { system: 'https://github.com/synthetichealth/synthea', value: '7c5f0d2e' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical Record Number' }], text: 'Medical Record Number' }, system: 'http://hospital.smarthealthit.org', value: '7c5f0d2e-mr' },
      ],
      name: [{ use: 'official', family: 'Kub', given: ['Ron'], prefix: ['Mr.'] }],
    };
    expect(patientSummary(synthea, FIXTURE_NOW)).toMatchObject({ nhsNumber: null, name: 'Mr. Ron KUB', otherIdentifiers: [{ label: 'Synthea id', value: '7c5f0d2e' }, { label: 'Hospital number', value: '7c5f0d2e-mr' }] });
  });
});

describe('communicationView', () => {
  it('marks British Sign Language and an interpreter need', () => {
    expect(communicationView(ukCorePatient)).toEqual({ languages: [{ text: 'British Sign Language', isPreferred: true, isSignLanguage: true }], interpreterRequired: true, registeredGp: null });
    expect(communicationView({ ...ukCorePatient, generalPractitioner: [{ reference: 'Organization/gp', display: 'Sample Street Surgery' }] }).registeredGp).toBe('Sample Street Surgery');
    expect(communicationView({ resourceType: 'Patient', communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'pl', display: 'Polish' }] } }] })).toEqual({
      languages: [{ text: 'Polish', isPreferred: false, isSignLanguage: false }], interpreterRequired: null, registeredGp: null,
    });
  });
});
