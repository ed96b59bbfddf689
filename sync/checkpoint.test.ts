import { describe, expect, it } from 'vitest';
import { advance, sinceParam } from './checkpoint';

const T1 = '2026-06-01T00:00:01.000Z';
const T2 = '2026-06-01T00:00:02.000Z';

describe('cursor from server time', () => {
  it('moves to the newest instant and remembers every resource committed at it', () => {
    const a = advance(null, [{ at: T1, key: 'a@1' }, { at: T2, key: 'b@1' }, { at: T2, key: 'c@1' }]);
    expect(a.isFresh).toEqual([true, true, true]);
    expect(a.next).toEqual({ at: T2, ms: Date.parse(T2), seen: ['b@1', 'c@1'] });
  });

  it('drops what was committed at the cursor instant but keeps a same-millisecond newcomer (ge, not gt)', () => {
    const cursor = { at: T2, ms: Date.parse(T2), seen: ['b@1', 'c@1'] };
    const a = advance(cursor, [{ at: T2, key: 'b@1' }, { at: T2, key: 'c@1' }, { at: T2, key: 'd@1' }]);
    expect(a.isFresh).toEqual([false, false, true]);
    expect(a.duplicates).toBe(2);
    expect(a.next?.seen).toEqual(['b@1', 'c@1', 'd@1']);
  });

  it('takes a second version written in the same millisecond', () => {
    const cursor = { at: T2, ms: Date.parse(T2), seen: ['b@1'] };
    expect(advance(cursor, [{ at: T2, key: 'b@2' }]).isFresh).toEqual([true]);
  });

  it('compares instants, not spellings', () => {
    const cursor = { at: T2, ms: Date.parse(T2), seen: ['b@1'] };
    expect(advance(cursor, [{ at: '2026-06-01T01:00:02+01:00', key: 'b@1' }]).isFresh).toEqual([false]);
  });

  it('never moves backwards and encodes the filter for a URL', () => {
    const cursor = { at: T2, ms: Date.parse(T2), seen: ['b@1'] };
    expect(advance(cursor, [{ at: T1, key: 'z@1' }]).next).toEqual(cursor);
    expect(sinceParam(cursor)).toBe('&_lastUpdated=ge2026-06-01T00%3A00%3A02.000Z');
    expect(sinceParam(null)).toBe('');
  });
});
