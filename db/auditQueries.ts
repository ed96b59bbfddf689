import type { AuditRow } from './auditLog';
import type { SQLiteDatabase } from './storage/sqlHelpers';

const COLUMNS = `seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId,
  patient_id AS patientId, patient_nhs AS patientNhs, body, prev_hash AS prevHash, hash, acked`;

/** The same columns from `audit_log l`, plus whether the entry is set aside (refused and not delivered). */
const REVIEW_COLUMNS = `l.seq AS seq, l.event_id AS eventId, l.recorded_at AS recordedAt, l.action AS action, l.user_id AS userId,
  l.patient_id AS patientId, l.patient_nhs AS patientNhs, l.body AS body, l.prev_hash AS prevHash, l.hash AS hash, l.acked AS acked,
  CASE WHEN l.acked = 0 THEN q.quarantined_at END AS setAsideAt, CASE WHEN l.acked = 0 THEN q.status END AS refusedStatus`;

export type AuditStats = Readonly<{ entries: number; pending: number; quarantined: number }>;

/**
 * An entry as a review shows it: set aside (`setAsideAt` not null) means the central record
 * refused it, in its plain and its sanitised form, so the central audit does not have it yet
 * (issue #10): a reviewer must see it here. `refusedStatus` is the HTTP status, null if this
 * build could not render it.
 */
export type AuditReviewRow = AuditRow & Readonly<{ setAsideAt: string | null; refusedStatus: number | null }>;

export type AuditQueries = Readonly<{
  /** A user's own entries, newest first. */
  recentForUser(userId: string, limit: number): AuditRow[];
  /** Entries about any of these patients, newest first. */
  forPatients(patientIds: readonly string[], limit: number): AuditRow[];
  /** The patient ids entries have recorded with this NHS number (an IG request names the person). */
  patientIdsForNhsNumber(nhsNumber: string): string[];
  /** Entries of these actions, newest first (e.g. break-glass for review), each saying whether it is set aside. */
  byActions(actions: readonly string[], limit: number): AuditReviewRow[];
  /** Entries of any action set aside and not delivered, newest first: for the break-glass review and the IG tools. */
  setAside(limit: number): AuditReviewRow[];
  /** The hash of the entry at `seq` while it is held on this device; null once purged or if absent. */
  hashAt(seq: number): string | null;
  /** Entries recorded (device time) in [fromIso, toIso), in chain order, streamed. */
  recordedBetween(fromIso: string, toIso: string): IterableIterator<AuditRow>;
  countRecordedBetween(fromIso: string, toIso: string): number;
  stats(): AuditStats;
}>;

/** Read-only queries over the audit trail. Lists are bound with json_each, never spliced into SQL. */
export function createAuditQueries(db: SQLiteDatabase): AuditQueries {
  const recent = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE user_id = ? ORDER BY seq DESC LIMIT ?`);
  const forPatients = db.prepare(
    `SELECT ${COLUMNS} FROM audit_log WHERE patient_id IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?`,
  );
  const patientIds = db.prepare('SELECT DISTINCT patient_id FROM audit_log WHERE patient_nhs = ? AND patient_id IS NOT NULL').pluck();
  const byActions = db.prepare(
    `SELECT ${REVIEW_COLUMNS} FROM audit_log l LEFT JOIN audit_quarantine q ON q.seq = l.seq
     WHERE l.action IN (SELECT value FROM json_each(?)) ORDER BY l.seq DESC LIMIT ?`,
  );
  const setAside = db.prepare(
    `SELECT ${REVIEW_COLUMNS} FROM audit_quarantine q JOIN audit_log l ON l.seq = q.seq WHERE l.acked = 0 ORDER BY l.seq DESC LIMIT ?`,
  );
  const hashAt = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
  const between = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE recorded_at >= ? AND recorded_at < ? ORDER BY seq`);
  const countBetween = db.prepare('SELECT count(*) FROM audit_log WHERE recorded_at >= ? AND recorded_at < ?').pluck();
  // Set aside counts only entries not delivered, as setAside() lists them.
  const stats = db.prepare(
    `SELECT (SELECT count(*) FROM audit_log) AS entries, (SELECT count(*) FROM audit_log WHERE acked = 0) AS pending,
       (SELECT count(*) FROM audit_quarantine q JOIN audit_log l ON l.seq = q.seq WHERE l.acked = 0) AS quarantined`,
  );
  return {
    recentForUser: (userId, limit) => recent.all(userId, limit) as AuditRow[],
    forPatients: (ids, limit) => forPatients.all(JSON.stringify(ids), limit) as AuditRow[],
    patientIdsForNhsNumber: (nhsNumber) => patientIds.all(nhsNumber) as string[],
    byActions: (actions, limit) => byActions.all(JSON.stringify(actions), limit) as AuditReviewRow[],
    setAside: (limit) => setAside.all(limit) as AuditReviewRow[],
    hashAt: (seq) => (hashAt.get(seq) as string | undefined) ?? null,
    recordedBetween: (fromIso, toIso) => between.iterate(fromIso, toIso) as IterableIterator<AuditRow>,
    countRecordedBetween: (fromIso, toIso) => countBetween.get(fromIso, toIso) as number,
    stats: () => stats.get() as AuditStats,
  };
}
