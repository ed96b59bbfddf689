import { createHash, randomUUID } from 'node:crypto';
import { type AuditFact, toAuditEvent } from '../core/auditEvent';
import { type ChainAnchor, type ChainVerdict, GENESIS_ANCHOR, chainHash, verifyChain } from '../core/auditChain';
import { canonicalJson } from '../core/canonicalJson';
import { AppError } from '../core/errors';
import type { SQLiteDatabase } from './storage/sqlHelpers';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Append-only: the triggers abort any UPDATE except marking an entry acknowledged, and any
 * DELETE of an entry the central record has not acknowledged (DESIGN §5).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  recorded_at TEXT NOT NULL,
  action TEXT NOT NULL,
  user_id TEXT NOT NULL,
  patient_id TEXT,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  acked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log(user_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_patient ON audit_log(patient_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  WHEN NOT (OLD.acked = 0 AND NEW.acked = 1 AND NEW.seq = OLD.seq AND NEW.body = OLD.body AND NEW.hash = OLD.hash
            AND NEW.prev_hash = OLD.prev_hash AND NEW.event_id = OLD.event_id AND NEW.recorded_at = OLD.recorded_at
            AND NEW.action = OLD.action AND NEW.user_id = OLD.user_id AND NEW.patient_id IS OLD.patient_id)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  WHEN OLD.acked = 0
  BEGIN SELECT RAISE(ABORT, 'audit_log entries are kept until acknowledged'); END;
`;

export type AuditRow = Readonly<{
  seq: number;
  eventId: string;
  recordedAt: string;
  action: string;
  userId: string;
  patientId: string | null;
  body: string;
  prevHash: string;
  hash: string;
  acked: number;
}>;

const SELECT_COLUMNS = `seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId,
  patient_id AS patientId, body, prev_hash AS prevHash, hash, acked`;

export type AuditLog = Readonly<{
  /** Appends one entry, synchronously and durably; throws AppError('audit-failed') when it cannot. */
  append(fact: AuditFact): AuditRow;
  recentForUser(userId: string, limit: number): AuditRow[];
  verify(anchor?: ChainAnchor): ChainVerdict;
}>;

/** The hash-chained audit trail, in the same encrypted file as the cached records. */
export function createAuditLog(db: SQLiteDatabase): AuditLog {
  db.exec(SCHEMA);
  const lastStatement = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insertStatement = db.prepare(
    `INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, patient_id, body, prev_hash, hash)
     VALUES (@seq, @eventId, @recordedAt, @action, @userId, @patientId, @body, @prevHash, @hash)`,
  );
  const recentStatement = db.prepare(`SELECT ${SELECT_COLUMNS} FROM audit_log WHERE user_id = ? ORDER BY seq DESC LIMIT ?`);
  const allStatement = db.prepare(`SELECT ${SELECT_COLUMNS} FROM audit_log ORDER BY seq`);

  // IMMEDIATE: take the write lock before reading the head, so two writers cannot fork the chain.
  const appendTransaction = db.transaction((fact: AuditFact): AuditRow => {
    const last = lastStatement.get() as { seq: number; hash: string } | undefined;
    const anchor = last ?? GENESIS_ANCHOR;
    const seq = anchor.seq + 1;
    const eventId = randomUUID();
    const event = toAuditEvent(fact, eventId);
    const hash = chainHash(sha256Hex, anchor.hash, seq, event);
    const row: AuditRow = {
      seq,
      eventId,
      recordedAt: fact.recordedAt,
      action: fact.action,
      userId: fact.userId,
      patientId: fact.patientId,
      body: canonicalJson(event),
      prevHash: anchor.hash,
      hash,
      acked: 0,
    };
    insertStatement.run(row);
    return row;
  });

  return {
    append(fact) {
      try {
        return appendTransaction.immediate(fact);
      } catch (error) {
        throw new AppError('audit-failed', 'The access could not be recorded in the audit trail, so nothing was shown.', { cause: error });
      }
    },
    recentForUser: (userId, limit) => recentStatement.all(userId, limit) as AuditRow[],
    verify(anchor = GENESIS_ANCHOR) {
      const rows = allStatement.iterate() as IterableIterator<AuditRow>;
      const entries = (function* () {
        for (const row of rows) yield { seq: row.seq, prevHash: row.prevHash, hash: row.hash, body: JSON.parse(row.body) as unknown };
      })();
      return verifyChain(entries, sha256Hex, anchor);
    },
  };
}
