import { describe, expect, it } from 'vitest';
import { encodeIndexKey, indexKeyEncoder, type IndexFieldKind } from './indexKey.ts';

// Units chosen around every boundary of the encoding: NUL, control chars,
// space, ASCII, 0x7F, BMP, surrogate halves, private use, U+FFFF.
const UNITS = ['\u0000', '\t', '\u001f', ' ', '!', 'a', '~', '\u007f', 'é', '\ud83d', '\ude00', '\ue000', '\uffff'];

function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

function randomPadded(random: () => number, width: number): string {
  let s = '';
  const length = Math.floor(random() * (width + 1));
  for (let i = 0; i < length; i++) {
    // Many spaces, so runs of spaces followed by other units are common.
    s += random() < 0.35 ? ' ' : (UNITS[Math.floor(random() * UNITS.length)] as string);
  }
  return s.padEnd(width, ' ');
}

const sign = (n: number) => Math.sign(n);
const jsCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('encodeIndexKey', () => {
  it('orders padded strings exactly like JavaScript string comparison', () => {
    const random = makeRandom(7);
    const kinds: IndexFieldKind[] = ['string'];
    for (let i = 0; i < 20_000; i++) {
      const a = randomPadded(random, 6);
      const b = random() < 0.2 ? a.slice(0, 3) + randomPadded(random, 3) : randomPadded(random, 6);
      const expected = jsCompare(a, b);
      const actual = sign(Buffer.compare(encodeIndexKey(kinds, [a]), encodeIndexKey(kinds, [b])));
      expect(actual, JSON.stringify([a, b])).toBe(expected);
    }
  });

  it('orders multi-field keys like the concatenated index string', () => {
    const random = makeRandom(11);
    const kinds: IndexFieldKind[] = ['fixed', 'string', 'fixed', 'string'];
    const key = () => ['1', randomPadded(random, 3), String(Math.floor(random() * 100)).padStart(3, '0'), randomPadded(random, 4)];
    for (let i = 0; i < 20_000; i++) {
      const a = key();
      const b = random() < 0.5 ? [...a.slice(0, 2), ...key().slice(2)] : key();
      const expected = jsCompare(a.join(''), b.join(''));
      expect(sign(Buffer.compare(encodeIndexKey(kinds, a), encodeIndexKey(kinds, b))), JSON.stringify([a, b])).toBe(expected);
    }
  });

  it('stores ASCII text compactly', () => {
    expect(encodeIndexKey(['string'], ['Smith'.padEnd(100, ' ')]).length).toBe(6);
  });
});

describe('indexKeyEncoder', () => {
  it('encodes from field values exactly like encodeIndexKey on the padded strings', () => {
    const random = makeRandom(13);
    type Doc = { a?: string; n: number; b?: string };
    const pad = (v: string | undefined, width: number) => (v ? v : '').padEnd(width, ' ');
    const encode = indexKeyEncoder<Doc>([
      { kind: 'string', getValue: (d) => d.a, part: (d) => pad(d.a, 6) },
      { kind: 'fixed', part: (d) => String(d.n).padStart(3, '0') },
      { kind: 'string', getValue: (d) => d.b, part: (d) => pad(d.b, 4) },
    ]);
    const kinds: IndexFieldKind[] = ['string', 'fixed', 'string'];
    for (let i = 0; i < 20_000; i++) {
      const a = random() < 0.1 ? undefined : randomPadded(random, 6).slice(0, Math.floor(random() * 7));
      const b = random() < 0.1 ? '' : randomPadded(random, 4).trimEnd();
      const doc: Doc = { a, n: Math.floor(random() * 1000), b };
      const expected = encodeIndexKey(kinds, [pad(a, 6), String(doc.n).padStart(3, '0'), pad(b, 4)]);
      expect(encode(doc).equals(expected), JSON.stringify(doc)).toBe(true);
    }
  });

  it('returns a fresh buffer per key', () => {
    const encode = indexKeyEncoder<{ a: string }>([{ kind: 'string', getValue: (d) => d.a, part: (d) => d.a }]);
    const first = encode({ a: 'first' });
    encode({ a: 'other' });
    expect(first.equals(encodeIndexKey(['string'], ['first']))).toBe(true);
  });
});
