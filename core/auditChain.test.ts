import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ChainedEntry, GENESIS_HASH, chainHash, chainHashOfCanonical, entryCanonicalJson, verifyChain } from './auditChain';
import { canonicalJson } from './canonicalJson';

// Tests may use node:crypto; the module under test only sees the port.
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function buildChain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const bodyCanonicalJson = canonicalJson({ action: 'record.open', n: seq });
    const hash = chainHashOfCanonical(sha256, prev, seq, bodyCanonicalJson);
    entries.push({ seq, prevHash: prev, hash, bodyCanonicalJson });
    prev = hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
  });
  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe('entryCanonicalJson', () => {
  it('is exactly canonicalJson of the index fields plus the details, built without parsing', () => {
    const details = { v: 1, deviceId: 'd', outcome: 'success', detail: { query: 'é"\\ü\n' }, clockOffsetMs: -1000 };
    for (const patient of [null, 'pat-1']) {
      const index = { eventId: 'e1', recordedAt: '2026-01-01T00:00:00.000Z', action: 'record.open', userId: 'u"1', patientId: patient, patientNhs: patient && '9990000018' };
      expect(entryCanonicalJson(index, canonicalJson(details))).toBe(canonicalJson({ ...index, details }));
    }
  });
  it('hashes the text the same way as the value (hash = SHA-256(prevHash ‖ canonical JSON))', () => {
    const body = { b: [1, 2], a: 'x' };
    expect(chainHashOfCanonical(sha256, GENESIS_HASH, 7, canonicalJson(body))).toBe(chainHash(sha256, GENESIS_HASH, 7, body));
    expect(chainHash(sha256, GENESIS_HASH, 7, body)).toBe(sha256(`${GENESIS_HASH}{"body":{"a":"x","b":[1,2]},"seq":7}`));
  });
});

describe('verifyChain', () => {
  const head = (chain: ChainedEntry[]) => ({ seq: chain.at(-1)!.seq, hash: chain.at(-1)!.hash });

  it('accepts an intact chain and its head', () => {
    const chain = buildChain(5);
    expect(verifyChain(chain, sha256, undefined, head(chain))).toEqual({ ok: true, count: 5, lastSeq: 5, lastHash: chain[4]!.hash });
  });
  it('finds an edited body', () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2]!, bodyCanonicalJson: canonicalJson({ action: 'record.open', n: 99 }) };
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
  });
  it('finds a removed entry', () => {
    const chain = buildChain(5);
    chain.splice(1, 1);
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'gap' });
  });
  it('finds two entries swapped even with their seq rewritten', () => {
    const chain = buildChain(5);
    const [a, b] = [chain[1]!, chain[2]!];
    chain[1] = { ...b, seq: 2 };
    chain[2] = { ...a, seq: 3 };
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'prev-hash' });
  });
  it('finds a repeated entry', () => {
    const chain = buildChain(3);
    chain.splice(2, 0, chain[1]!);
    expect(verifyChain(chain, sha256)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'out-of-order' });
  });
  it('finds a forged entry even when its own hash is right', () => {
    const chain = buildChain(4);
    const forgedBody = canonicalJson({ action: 'record.open', n: 'forged' });
    const forged = { seq: 3, prevHash: chain[1]!.hash, hash: chainHashOfCanonical(sha256, chain[1]!.hash, 3, forgedBody), bodyCanonicalJson: forgedBody };
    const tampered = [chain[0]!, chain[1]!, forged, ...chain.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
    expect(verifyChain(tampered, sha256)).toEqual({ ok: false, brokenAtSeq: 4, reason: 'prev-hash' });
  });
  it('finds a truncated tail only with the head, and entries added past it', () => {
    const chain = buildChain(5);
    const recordedHead = head(chain);
    expect(verifyChain(chain.slice(0, 3), sha256).ok).toBe(true); // why the head exists
    expect(verifyChain(chain.slice(0, 3), sha256, undefined, recordedHead)).toEqual({ ok: false, brokenAtSeq: 4, reason: 'truncated' });
    expect(verifyChain(buildChain(6), sha256, undefined, recordedHead)).toEqual({ ok: false, brokenAtSeq: 6, reason: 'beyond-head' });
    expect(verifyChain(chain, sha256, undefined, { seq: 5, hash: GENESIS_HASH })).toEqual({ ok: false, brokenAtSeq: 5, reason: 'head-mismatch' });
  });
  it('verifies from an anchor after a purge, and finds what was cut from the front', () => {
    const chain = buildChain(6);
    const anchor = { seq: 2, hash: chain[1]!.hash };
    expect(verifyChain(chain.slice(2), sha256, anchor, head(chain))).toMatchObject({ ok: true, count: 4 });
    expect(verifyChain(chain.slice(3), sha256, anchor, head(chain))).toEqual({ ok: false, brokenAtSeq: 3, reason: 'gap' });
    expect(verifyChain([], sha256, anchor, anchor)).toMatchObject({ ok: true, count: 0, lastSeq: 2 });
  });
});
