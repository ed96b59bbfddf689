import { canonicalJson } from './canonicalJson';

/** SHA-256 of a UTF-8 string as lower-case hex: a port, so core stays free of node:crypto. */
export type Sha256Hex = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

export type ChainedEntry = Readonly<{ seq: number; prevHash: string; hash: string; body: unknown }>;

/** Where verification starts: the genesis, or the last entry purged after acknowledgement. */
export type ChainAnchor = Readonly<{ seq: number; hash: string }>;
export const GENESIS_ANCHOR: ChainAnchor = { seq: 0, hash: GENESIS_HASH };

/** hash = SHA-256(prevHash ‖ canonical JSON of {seq, body}) — seq inside, so reordering breaks it. */
export function chainHash(sha256: Sha256Hex, prevHash: string, seq: number, body: unknown): string {
  return sha256(prevHash + canonicalJson({ seq, body }));
}

export type ChainVerdict =
  | Readonly<{ ok: true; count: number; lastSeq: number }>
  | Readonly<{ ok: false; brokenAtSeq: number; reason: 'gap' | 'prev-hash' | 'hash' }>;

/** Checks sequence continuity and every link; returns the first broken link. */
export function verifyChain(entries: Iterable<ChainedEntry>, sha256: Sha256Hex, anchor: ChainAnchor = GENESIS_ANCHOR): ChainVerdict {
  let expectedSeq = anchor.seq + 1;
  let prevHash = anchor.hash;
  let count = 0;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return { ok: false, brokenAtSeq: expectedSeq, reason: 'gap' };
    if (entry.prevHash !== prevHash) return { ok: false, brokenAtSeq: entry.seq, reason: 'prev-hash' };
    if (chainHash(sha256, prevHash, entry.seq, entry.body) !== entry.hash) return { ok: false, brokenAtSeq: entry.seq, reason: 'hash' };
    prevHash = entry.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, count, lastSeq: expectedSeq - 1 };
}
