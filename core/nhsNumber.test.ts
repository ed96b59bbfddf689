import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isTestRangeNhsNumber, isValidNhsNumber, nhsCheckDigit } from './nhsNumber';

describe('NHS number', () => {
  it('accepts a number whose check digit matches (NHS Data Dictionary worked example 943 476 5919)', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
  });
  it('rejects a wrong check digit, wrong length and non-digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659199')).toBe(false);
    expect(isValidNhsNumber('94347x5919')).toBe(false);
  });
  it('has no check digit when the remainder gives 10', () => {
    // 999000001: sum = 9*10+9*9+9*8+1*2 = 245; 245 % 11 = 3; 11-3 = 8
    expect(nhsCheckDigit('999000001')).toBe(8);
    let stemWithTen: string | undefined;
    for (let n = 0; n < 200 && !stemWithTen; n++) {
      const stem = `999${String(n).padStart(6, '0')}`;
      if (nhsCheckDigit(stem) === undefined) stemWithTen = stem;
    }
    expect(stemWithTen).toBeDefined();
  });
  it('knows the 999 test range', () => {
    expect(isTestRangeNhsNumber('9990000018')).toBe(true);
    expect(isTestRangeNhsNumber('9434765919')).toBe(false);
  });
  it('formats 3-3-4', () => {
    expect(formatNhsNumber('9990000018')).toBe('999 000 0018');
  });
});
