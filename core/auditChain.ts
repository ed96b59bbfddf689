import { canonicalJson } from './canonicalJson';

/** SHA-256 of a UTF-8 string as lower-case hex: a port, so core stays free of node:crypto. */
export type Sha256Hex = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

/** A point in the chain: where verification starts (genesis, or the last purged entry) or the head. */
export type ChainAnchor = Readonly<{ seq: number; hash: string }>;
export const GENESIS_ANCHOR: ChainAnchor = { seq: 0, hash: GENESIS_HASH };

/** The columns an entry is found by. Every one is inside the hash, so none can be edited unseen. */
export type AuditEntryIndex = Readonly<{
  eventId: string;
  recordedAt: string;
  action: string;
  userId: string;
  patientId: string | null;
  patientNhs: string | null;
}>;

/** Anything JSON.stringify might escape (quote, backslash, controls, non-ASCII): the slow path. */
const MAY_NEED_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;
/** JSON.stringify for a string, without its cost for the plain ASCII ids and times entries are made of. */
const str = (value: string | null): string => (value === null ? 'null' : MAY_NEED_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`);

/**
 * Canonical JSON of one entry — `canonicalJson({ ...index, details })` — built by concatenation
 * from the stored canonical details text, so verifying a million entries parses no JSON.
 * Keys in code-unit order: action, details, eventId, patientId, patientNhs, recordedAt, userId.
 */
export function entryCanonicalJson(index: AuditEntryIndex, detailsCanonicalJson: string): string {
  return (
    `{"action":${str(index.action)},"details":${detailsCanonicalJson},"eventId":${str(index.eventId)},` +
    `"patientId":${str(index.patientId)},"patientNhs":${str(index.patientNhs)},"recordedAt":${str(index.recordedAt)},` +
    `"userId":${str(index.userId)}}`
  );
}

/** hash = SHA-256(prevHash ‖ canonical JSON of {seq, body}), the body given as canonical JSON text. */
export function chainHashOfCanonical(sha256: Sha256Hex, prevHash: string, seq: number, bodyCanonicalJson: string): string {
  return sha256(`${prevHash}{"body":${bodyCanonicalJson},"seq":${seq}}`);
}

/** hash = SHA-256(prevHash ‖ canonical JSON of {seq, body}) — seq inside, so reordering breaks it. */
export function chainHash(sha256: Sha256Hex, prevHash: string, seq: number, body: unknown): string {
  return chainHashOfCanonical(sha256, prevHash, seq, canonicalJson(body));
}

export type ChainedEntry = Readonly<{ seq: number; prevHash: string; hash: string; bodyCanonicalJson: string }>;

/**
 * Why a chain is broken: `gap` (an entry is missing), `out-of-order` (an entry repeats or comes
 * back), `prev-hash` / `hash` (an entry was edited, forged or moved), `truncated` (entries after
 * the last one present were removed: the head says there were more), `beyond-head` (entries
 * were added after the recorded head), `head-mismatch` (the last entry is not the recorded one),
 * `head-missing` (the recorded head itself was removed).
 */
export type ChainBreakReason = 'gap' | 'out-of-order' | 'prev-hash' | 'hash' | 'truncated' | 'beyond-head' | 'head-mismatch' | 'head-missing';

export type ChainVerdict =
  | Readonly<{ ok: true; count: number; lastSeq: number; lastHash: string }>
  | Readonly<{ ok: false; brokenAtSeq: number; reason: ChainBreakReason }>;

export type ChainBreak = Readonly<{ ok: false; brokenAtSeq: number; reason: ChainBreakReason }>;

/**
 * A streaming verifier: feed entries in sequence order, stop at the first break. Memory stays
 * constant however long the chain.
 */
export function createChainVerifier(sha256: Sha256Hex, anchor: ChainAnchor = GENESIS_ANCHOR) {
  let expectedSeq = anchor.seq + 1;
  let prevHash = anchor.hash;
  let count = 0;
  return {
    /** Checks the next entry; null when it links to the one before. */
    next(seq: number, entryPrevHash: string, hash: string, bodyCanonicalJson: string): ChainBreak | null {
      if (seq > expectedSeq) return { ok: false, brokenAtSeq: expectedSeq, reason: 'gap' };
      if (seq < expectedSeq) return { ok: false, brokenAtSeq: seq, reason: 'out-of-order' };
      if (entryPrevHash !== prevHash) return { ok: false, brokenAtSeq: seq, reason: 'prev-hash' };
      if (chainHashOfCanonical(sha256, prevHash, seq, bodyCanonicalJson) !== hash) return { ok: false, brokenAtSeq: seq, reason: 'hash' };
      prevHash = hash;
      expectedSeq++;
      count++;
      return null;
    },
    /** The verdict once every entry is fed; with `head`, also proves nothing was cut off the end. */
    finish(head?: ChainAnchor): ChainVerdict {
      const lastSeq = expectedSeq - 1;
      if (head) {
        if (lastSeq < head.seq) return { ok: false, brokenAtSeq: lastSeq + 1, reason: 'truncated' };
        if (lastSeq > head.seq) return { ok: false, brokenAtSeq: head.seq + 1, reason: 'beyond-head' };
        if (prevHash !== head.hash) return { ok: false, brokenAtSeq: head.seq, reason: 'head-mismatch' };
      }
      return { ok: true, count, lastSeq, lastHash: prevHash };
    },
  };
}

/** Checks sequence continuity, every link and (when given) the recorded head; returns the first break. */
export function verifyChain(entries: Iterable<ChainedEntry>, sha256: Sha256Hex, anchor: ChainAnchor = GENESIS_ANCHOR, head?: ChainAnchor): ChainVerdict {
  const verifier = createChainVerifier(sha256, anchor);
  for (const entry of entries) {
    const broken = verifier.next(entry.seq, entry.prevHash, entry.hash, entry.bodyCanonicalJson);
    if (broken) return broken;
  }
  return verifier.finish(head);
}
