import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminalText';

describe('terminalSafe', () => {
  it('shows control, line-break, zero-width and bidi characters as visible escapes', () => {
    expect(terminalSafe('a\u001b[31mred\u0007')).toBe('a\\u001b[31mred\\u0007');
    expect(terminalSafe('one\r\ntwo')).toBe('one\\u000d\\u000atwo');
    expect(terminalSafe('x\u200by\u202ez\u2066\ufeff\u0085')).toBe('x\\u200by\\u202ez\\u2066\\ufeff\\u0085');
  });
  it('leaves ordinary text, accents and emoji alone', () => {
    expect(terminalSafe('Zoë O’Neill — 🚑 call 111-20250301-0042')).toBe('Zoë O’Neill — 🚑 call 111-20250301-0042');
  });
});
