import { type ChainAnchor, createChainVerifier, entryCanonicalJson } from '../core/auditChain';
import { sha256Hex } from './auditHash';
import type { AuditHead, AuditRow } from './auditLog';
import type { SQLiteDatabase } from './storage/sqlHelpers';

const COLUMNS = `seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId,
  patient_id AS patientId, patient_nhs AS patientNhs, body, prev_hash AS prevHash, hash, acked`;

export type PurgeResult = Readonly<{ purged: number; anchor: ChainAnchor; refused: boolean }>;

export type AuditDelivery = Readonly<{
  /** Unacknowledged entries not in quarantine, oldest first: what to upload next. */
  pending(limit: number): AuditRow[];
  /** Entries the central record refused, oldest first. */
  quarantined(limit: number): AuditRow[];
  /** Marks entries acknowledged by the central record (one transaction) and lifts any quarantine. */
  markAcked(seqs: readonly number[]): number;
  /** Sets an entry aside after the central record refused it (HTTP status kept, never its text). */
  quarantine(seq: number, status: number | null, at: string): void;
  /**
   * Deletes acknowledged entries recorded before `recordedBefore`, oldest first and only as an
   * unbroken prefix, after moving the anchor to the last one deleted (same transaction), so the
   * rest still verifies. Refuses (deletes nothing) if that prefix does not verify: evidence stays.
   */
  purgeAcked(recordedBefore: string): PurgeResult;
}>;

export function createAuditDelivery(db: SQLiteDatabase, readHead: () => AuditHead | null): AuditDelivery {
  const pending = db.prepare(
    `SELECT ${COLUMNS} FROM audit_log WHERE acked = 0 AND seq NOT IN (SELECT seq FROM audit_quarantine) ORDER BY seq LIMIT ?`,
  );
  const quarantined = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq IN (SELECT seq FROM audit_quarantine) AND acked = 0 ORDER BY seq LIMIT ?`);
  const ack = db.prepare('UPDATE audit_log SET acked = 1 WHERE seq = ? AND acked = 0');
  const unquarantine = db.prepare('DELETE FROM audit_quarantine WHERE seq = ?');
  const quarantine = db.prepare('INSERT OR REPLACE INTO audit_quarantine (seq, status, quarantined_at) VALUES (?, ?, ?)');
  // The first entry that must stay: unacknowledged, or recorded on or after the cut-off.
  const firstKept = db.prepare('SELECT min(seq) FROM audit_log WHERE seq > ? AND (acked = 0 OR recorded_at >= ?)').pluck();
  const range = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq`);
  const moveAnchor = db.prepare('UPDATE audit_head SET anchor_seq = ?, anchor_hash = ? WHERE id = 1');
  const purge = db.prepare('DELETE FROM audit_log WHERE seq <= ?');

  const markAcked = db.transaction((seqs: readonly number[]) => {
    let changed = 0;
    for (const seq of seqs) {
      changed += ack.run(seq).changes;
      unquarantine.run(seq);
    }
    return changed;
  });

  const purgeAcked = db.transaction((recordedBefore: string): PurgeResult => {
    const current = readHead();
    if (!current) return { purged: 0, anchor: { seq: 0, hash: '' }, refused: true };
    const { anchor, head } = current;
    const stop = (firstKept.get(anchor.seq, recordedBefore) as number | null) ?? head.seq + 1;
    const lastSeq = Math.min(stop - 1, head.seq);
    if (lastSeq <= anchor.seq) return { purged: 0, anchor, refused: false };
    const verifier = createChainVerifier(sha256Hex, anchor);
    let last: AuditRow | null = null;
    for (const row of range.iterate(anchor.seq, lastSeq) as IterableIterator<AuditRow>) {
      if (verifier.next(row.seq, row.prevHash, row.hash, entryCanonicalJson(row, row.body))) return { purged: 0, anchor, refused: true };
      last = row;
    }
    if (!last || last.seq !== lastSeq) return { purged: 0, anchor, refused: true };
    moveAnchor.run(last.seq, last.hash);
    const purged = purge.run(last.seq).changes;
    return { purged, anchor: { seq: last.seq, hash: last.hash }, refused: false };
  });

  return {
    pending: (limit) => pending.all(limit) as AuditRow[],
    quarantined: (limit) => quarantined.all(limit) as AuditRow[],
    markAcked: (seqs) => markAcked.immediate(seqs),
    quarantine: (seq, status, at) => void quarantine.run(seq, status, at),
    purgeAcked: (recordedBefore) => purgeAcked.immediate(recordedBefore),
  };
}
