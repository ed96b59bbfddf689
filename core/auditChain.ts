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

/**
 * A chain head the central record holds for this device (sync/auditAnchor.ts): one per sync that
 * got through. `chainId` is the hash of the trail's first entry: a device that starts a new trail
 * (after a wipe or a recovery) keeps its device id, and its new trail's anchors say so.
 */
export type CentralAnchor = Readonly<{ seq: number; hash: string; recordedAt: string | null; chainId: string | null }>;

/** What verifyAgainstAnchors reads of the local trail (db/auditLog.ts AuditLog fits). */
export type AnchoredChain = Readonly<{
  head(): Readonly<{ head: ChainAnchor; anchor: ChainAnchor }> | null;
  hashAt(seq: number): string | null;
}>;

/** Anchors of another trail of the same device: expected only after a wipe or a recovery. */
export type OtherTrail = Readonly<{ chainId: string; anchors: number; lastSeq: number; lastRecordedAt: string | null }>;

/**
 * `rewritten`: the local entry at `anchorSeq` no longer has the hash the central record was sent,
 * so some entry in (`lastGoodSeq`, `anchorSeq`] was changed and the chain recomputed.
 * `truncated`: the central record saw entry `anchorSeq`, the device no longer holds up to it
 * (entries from `atSeq` on were cut off, or the file was rolled back).
 */
export type AnchorVerdict =
  | Readonly<{
      ok: true;
      /** Anchors compared with a local entry. */
      checked: number;
      /** Anchors at entries delivered and purged since: their check is the central copies' own chain. */
      purged: number;
      lastAnchoredSeq: number;
      /** Entries after the last anchor, which no anchor covers yet: [fromSeq, toSeq], or null. */
      unanchored: Readonly<{ fromSeq: number; toSeq: number }> | null;
      otherTrails: readonly OtherTrail[];
    }>
  | Readonly<{ ok: false; reason: 'rewritten' | 'truncated'; atSeq: number; anchorSeq: number; lastGoodSeq: number }>;

/** Anchors grouped by trail: this device's current one (its first entry's hash, else the newest anchor's), and the others. */
function splitByTrail(chain: AnchoredChain, anchors: readonly CentralAnchor[]): { ours: CentralAnchor[]; others: OtherTrail[] } {
  const localId = chain.hashAt(1) ?? anchors[0]?.chainId ?? null;
  const ours: CentralAnchor[] = [];
  const others = new Map<string, OtherTrail>();
  for (const a of anchors) {
    if (a.chainId === null || localId === null || a.chainId === localId) {
      ours.push(a);
      continue;
    }
    const seen = others.get(a.chainId);
    const isLater = !seen || a.seq > seen.lastSeq;
    others.set(a.chainId, {
      chainId: a.chainId,
      anchors: (seen?.anchors ?? 0) + 1,
      lastSeq: isLater ? a.seq : seen.lastSeq,
      lastRecordedAt: isLater ? a.recordedAt : seen.lastRecordedAt,
    });
  }
  return { ours, others: [...others.values()] };
}

/**
 * Checks the local chain against the heads the central record was sent (issue #10 item 5): the
 * chain is an unkeyed hash whose head lives in the same file, so someone with the data key can
 * rewrite unsent entries and recompute it; `verify()` then says OK. An anchor pins the hash at its
 * seq outside the device, so any rewrite or truncation at or before the last anchor shows here.
 * Run after `verify()` succeeded (that proves the entries between anchors link up); `anchors`
 * newest first, as the central history lists them. Entries appended since the last anchor are
 * not covered: that is the window.
 */
export function verifyAgainstAnchors(chain: AnchoredChain, anchors: readonly CentralAnchor[]): AnchorVerdict {
  const current = chain.head();
  const head = current?.head ?? GENESIS_ANCHOR;
  const purgedThrough = current?.anchor ?? GENESIS_ANCHOR;
  const { ours, others } = splitByTrail(chain, anchors.filter((a) => a.seq > 0));
  const sorted = ours.sort((a, b) => a.seq - b.seq);
  let checked = 0;
  let purged = 0;
  let lastGoodSeq = 0;
  for (const a of sorted) {
    const broken = (reason: 'rewritten' | 'truncated', atSeq = a.seq) => ({ ok: false, reason, atSeq, anchorSeq: a.seq, lastGoodSeq }) as const;
    if (a.seq > head.seq) return broken('truncated', head.seq + 1);
    if (a.seq < purgedThrough.seq) {
      purged++;
      continue;
    }
    const local = a.seq === purgedThrough.seq ? purgedThrough.hash : chain.hashAt(a.seq);
    if (local === null) return broken('truncated');
    if (local !== a.hash) return broken('rewritten');
    checked++;
    lastGoodSeq = a.seq;
  }
  const lastAnchoredSeq = sorted.at(-1)?.seq ?? 0;
  return {
    ok: true,
    checked,
    purged,
    lastAnchoredSeq,
    unanchored: head.seq > lastAnchoredSeq ? { fromSeq: lastAnchoredSeq + 1, toSeq: head.seq } : null,
    otherTrails: others,
  };
}
