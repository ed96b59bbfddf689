import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters, normaliseFreeText, realWordCount } from './freeText';

describe('free text bound for the audit trail', () => {
  it('joins lines and tabs into single spaces, trims, and composes accents (NFC)', () => {
    expect(normaliseFreeText('  Found\r\n collapsed\t\tat   the depot ')).toBe('Found collapsed at the depot');
    expect(normaliseFreeText('Zoe\u0308')).toBe('Zoë');
  });
  it('finds control, zero-width and direction-override characters, and leaves ordinary text alone', () => {
    for (const hidden of ['\u001b[2K', 'bell\u0007', 'zero\u200bwidth', 'rtl\u202eoverride', 'iso\u2066late', 'bom\ufeffin the middle', 'soft\u00adhyphen', 'c1\u0085']) {
      expect(hasHiddenCharacters(normaliseFreeText(hidden))).toBe(true);
    }
    expect(hasHiddenCharacters('Zoë O’Neill — collapsed, 🚑 called 999')).toBe(false);
  });
  it('counts real words in any script, not digits or punctuation', () => {
    expect(realWordCount('Found collapsed outside')).toBe(3);
    expect(realWordCount('.......... 1234 5678 a b')).toBe(0);
    expect(realWordCount('Найден без сознания')).toBe(3);
  });
});
