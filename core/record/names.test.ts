import fc from 'fast-check';
import type { HumanName, Identifier } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { displayName } from '../fhirText';
import { chooseName, formatName, identifierLabel, otherIdentifiers } from './names';

const now = new Date('2026-11-24T10:00:00Z');

describe('names', () => {
  it('keeps the surname when text holds only the given name (the issue’s bug)', () => {
    expect(displayName([{ use: 'official', text: 'Edith', given: ['Edith'], family: 'Carver' }], now)).toBe('Edith CARVER');
  });
  it('uses text only when the name has no parts', () => {
    expect(displayName([{ text: 'Baby of Jane Doe' }], now)).toBe('Baby of Jane Doe');
    expect(displayName([], now)).toBe('Name not recorded');
    expect(displayName([{ use: 'official', given: ['  '] }], now)).toBe('Name not recorded');
  });
  it('prints prefix and suffix around the name', () => {
    expect(formatName({ prefix: ['Dr'], given: ['Ada', 'Mary'], family: 'Jones', suffix: ['OBE'] })).toBe('Dr Ada Mary JONES OBE');
  });
  it('prefers official or usual names in use now over old, maiden, temp and ended names', () => {
    const names: HumanName[] = [
      { use: 'maiden', family: 'Lowe', given: ['Edith'] },
      { use: 'official', family: 'Ended', given: ['Edith'], period: { end: '2020-01-01' } },
      { use: 'old', family: 'Older', given: ['Edith'] },
      { use: 'usual', family: 'Carver', given: ['Edie'] },
    ];
    expect(displayName(names, now)).toBe('Edie CARVER');
    expect(displayName([{ use: 'temp', family: 'Unknown' }, { use: 'official', family: 'Carver', given: ['Edith'] }], now)).toBe('Edith CARVER');
    // An old name is still better than none.
    expect(displayName([{ use: 'old', family: 'Lowe' }], now)).toBe('LOWE');
  });
  it('never loses a family name that is present (property)', () => {
    const part = fc.stringMatching(/^[A-Za-z]{1,12}$/);
    fc.assert(
      fc.property(part, fc.array(part, { maxLength: 3 }), fc.option(part), (family, given, textGiven) => {
        const name: HumanName = { family, given, ...(textGiven ? { text: textGiven } : {}) };
        expect(formatName(name)).toContain(family.toUpperCase());
        expect(chooseName([name], now)).toBe(name);
      }),
    );
  });
});

describe('identifiers', () => {
  const ids: Identifier[] = [
    { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' },
    { system: 'http://hospital.smarthealthit.org', value: 'MRN-1', type: { text: 'Medical Record Number' } },
    { system: 'https://pas.sample-trust.nhs.uk/id', value: 'RX1234', type: { coding: [{ code: 'MR', display: 'Medical record number' }] } },
    { system: 'https://pas.sample-trust.nhs.uk/old', value: 'OLD1', use: 'old' },
    { system: 'https://fhir.gp-system.example/patients', value: 'G-77' },
    { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: 'S999' },
    { value: 'bare' },
  ];
  it('labels other identifiers by a known system, their type, or the system host, leaving out old ones', () => {
    expect(otherIdentifiers(ids, now, 'https://fhir.nhs.uk/Id/nhs-number')).toEqual([
      { label: 'Hospital number', value: 'MRN-1' },
      { label: 'Medical record number', value: 'RX1234' },
      { label: 'Identifier from fhir.gp-system.example', value: 'G-77' },
      { label: 'Identifier (2.16.840.1.113883.4.3.25)', value: 'S999' },
      { label: 'Identifier (system not recorded)', value: 'bare' },
    ]);
    expect(identifierLabel({ system: 'https://fhir.nhs.uk/Id/nhs-number' })).toBe('NHS number');
  });
});
