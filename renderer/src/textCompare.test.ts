import { describe, expect, it } from 'vitest';
import { capitalise, saysTheSame } from './textCompare';

describe('text helpers', () => {
  it('treats labels that differ only in case and punctuation as the same', () => {
    expect(saysTheSame('DNACPR: do not attempt CPR', 'DNACPR — do not attempt CPR')).toBe(true);
    expect(saysTheSame('End of life care plan', 'end-of-life care plan')).toBe(true);
    expect(saysTheSame('Sickle cell care plan', 'Sickle cell crisis plan')).toBe(false);
    expect(saysTheSame('ReSPECT: for CPR', 'ReSPECT — CPR attempts recommended')).toBe(false);
  });
  it('capitalises the first letter only', () => {
    expect(capitalise('female')).toBe('Female');
    expect(capitalise('')).toBe('');
  });
});
