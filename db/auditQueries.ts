import type { AuditRow } from './auditLog';
import type { SQLiteDatabase } from './storage/sqlHelpers';

const COLUMNS = `seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId,
  patient_id AS patientId, patient_nhs AS patientNhs, body, prev_hash AS prevHash, hash, acked`;

export type AuditStats = Readonly<{ entries: number; pending: number; quarantined: number }>;

export type AuditQueries = Readonly<{
  /** A user's own entries, newest first. */
  recentForUser(userId: string, limit: number): AuditRow[];
  /** Entries about any of these patients, newest first. */
  forPatients(patientIds: readonly string[], limit: number): AuditRow[];
  /** The patient ids entries have recorded with this NHS number (an IG request names the person). */
  patientIdsForNhsNumber(nhsNumber: string): string[];
  /** Entries of these actions, newest first (e.g. break-glass for review). */
  byActions(actions: readonly string[], limit: number): AuditRow[];
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
  const byActions = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE action IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?`);
  const between = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE recorded_at >= ? AND recorded_at < ? ORDER BY seq`);
  const countBetween = db.prepare('SELECT count(*) FROM audit_log WHERE recorded_at >= ? AND recorded_at < ?').pluck();
  const stats = db.prepare(
    `SELECT (SELECT count(*) FROM audit_log) AS entries, (SELECT count(*) FROM audit_log WHERE acked = 0) AS pending,
       (SELECT count(*) FROM audit_quarantine) AS quarantined`,
  );
  return {
    recentForUser: (userId, limit) => recent.all(userId, limit) as AuditRow[],
    forPatients: (ids, limit) => forPatients.all(JSON.stringify(ids), limit) as AuditRow[],
    patientIdsForNhsNumber: (nhsNumber) => patientIds.all(nhsNumber) as string[],
    byActions: (actions, limit) => byActions.all(JSON.stringify(actions), limit) as AuditRow[],
    recordedBetween: (fromIso, toIso) => between.iterate(fromIso, toIso) as IterableIterator<AuditRow>,
    countRecordedBetween: (fromIso, toIso) => countBetween.get(fromIso, toIso) as number,
    stats: () => stats.get() as AuditStats,
  };
}
