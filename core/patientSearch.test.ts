import { describe, expect, it } from 'vitest';
import { birthDateRange, matchReasons, matchScore, normaliseName, normalisePostcode, outwardCode, partialAddress } from './patientSearch';
import { INVALID_NHS_NUMBER, patientQuerySchema } from './patientSearchViews';

describe('normalisation shared by the index and the query', () => {
  it('folds case, accents and punctuation to letters only', () => {
    expect(normaliseName('  Zoë  O’Brien-Smith ')).toBe('zoeobriensmith');
    expect(normaliseName('MÜLLER')).toBe('muller');
    expect(normaliseName('Siobhán')).toBe('siobhan');
    expect(normaliseName('123')).toBe('');
  });

  it('reads full postcodes and outward codes, and nothing else', () => {
    expect(normalisePostcode('e8 4qr')).toBe('E84QR');
    expect(normalisePostcode('SW1A 1AA')).toBe('SW1A1AA');
    expect(normalisePostcode('E8')).toBe('E8');
    expect(normalisePostcode('not a postcode')).toBe('');
    expect(outwardCode('E84QR')).toBe('E8');
    expect(outwardCode('E104QR')).toBe('E10');
    expect(outwardCode('SW1A1AA')).toBe('SW1A');
    expect(partialAddress('E8')).toBe('Postcode district E8');
    expect(partialAddress('')).toBeNull();
  });

  it('turns "about 40" into a range of birth dates, both ends inclusive', () => {
    expect(birthDateRange(40, 0, new Date('2026-06-15T00:00:00Z'))).toEqual({ from: '1985-06-16', to: '1986-06-15' });
    expect(birthDateRange(40, 5, new Date('2026-06-15T00:00:00Z'))).toEqual({ from: '1980-06-16', to: '1991-06-15' });
    expect(birthDateRange(2, 5, new Date('2026-06-15T00:00:00Z')).to).toBe('2026-06-15');
  });
});

describe('ranking and reasons', () => {
  it('counts fields matched first, then how well', () => {
    expect(matchScore({ family: 'exact', birthDate: 'exact' })).toEqual({ count: 2, quality: 6 });
    expect(matchScore({ family: 'sounds-like', birthDate: 'exact' })).toEqual({ count: 2, quality: 4 });
    expect(matchReasons({ family: 'sounds-like', birthDate: 'exact', postcode: 'district' })).toEqual(['Family name sounds like it', 'Date of birth', 'Postcode district']);
  });
});

describe('the query schema (the contract checks, and the UI checks as typed)', () => {
  it('checks an NHS number with Modulus 11, with the plain message', () => {
    expect(patientQuerySchema.parse({ kind: 'nhs-number', nhsNumber: '943 476 5919' })).toEqual({ kind: 'nhs-number', nhsNumber: '9434765919' });
    for (const typo of ['9434765918', '943476591', '94347659190', 'abcdefghij']) {
      const parsed = patientQuerySchema.safeParse({ kind: 'nhs-number', nhsNumber: typo });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => i.message), typo).toEqual([INVALID_NHS_NUMBER]);
    }
  });

  it('refuses impossible dates, postcodes and ages', () => {
    expect(patientQuerySchema.safeParse({ kind: 'name-dob', family: 'Smith', birthDate: '1980-02-30' }).success).toBe(false);
    expect(patientQuerySchema.safeParse({ kind: 'dob-postcode', birthDate: '1980-02-03', postcode: 'XYZ' }).success).toBe(false);
    expect(patientQuerySchema.safeParse({ kind: 'postcode-age', postcode: 'E8', ageYears: 200 }).success).toBe(false);
    expect(patientQuerySchema.parse({ kind: 'postcode-age', postcode: 'e8', ageYears: 40 })).toEqual({ kind: 'postcode-age', postcode: 'E8', ageYears: 40, toleranceYears: 5 });
    expect(patientQuerySchema.safeParse({ kind: 'name', family: '---' }).success).toBe(false);
  });
});
