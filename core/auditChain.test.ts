import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ChainedEntry, GENESIS_HASH, chainHash, verifyChain } from './auditChain';
import { canonicalJson } from './canonicalJson';

// Tests may use node:crypto; the module under test only sees the port.
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function buildChain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const body = { action: 'record.open', n: seq };
    const hash = chainHash(sha256, prev, seq, body);
    entries.push({ seq, prevHash: prev, hash, body });
    prev = hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain', () => {
    expect(verifyChain(buildChain(5), sha256)).toEqual({ ok: true, count: 5, lastSeq: 5 });
  });
  it('finds an edited body', () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2]!, body: { action: 'record.open', n: 99 } };
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
  });
  it('finds a removed entry', () => {
    const chain = buildChain(5);
    chain.splice(1, 1);
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'gap' });
  });
  it('finds two entries swapped even with their seq rewritten', () => {
    const chain = buildChain(5);
    const a = chain[1]!;
    const b = chain[2]!;
    chain[1] = { ...b, seq: 2 };
    chain[2] = { ...a, seq: 3 };
    expect(verifyChain(chain, sha256).ok).toBe(false);
  });
});
