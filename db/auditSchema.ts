import { runMigrations } from './migrations/index';
import {
  AUDIT_HEAD_TABLE_V1, AUDIT_INDEXES_V1, AUDIT_TABLES_V1, AUDIT_TRIGGER_NAMES_V1, AUDIT_TRIGGERS_V1,
} from './migrations/m0001AuditTrail';
import type { SQLiteDatabase } from './storage/sqlHelpers';

/**
 * The audit objects of the newest format. Point these at the newest migration's copies when a
 * migration changes a table or trigger of the audit trail.
 */
const CURRENT = {
  tables: ['audit_log', 'audit_head', 'audit_quarantine'],
  triggers: AUDIT_TRIGGER_NAMES_V1,
  restore: [AUDIT_TABLES_V1, AUDIT_HEAD_TABLE_V1, AUDIT_INDEXES_V1, AUDIT_TRIGGERS_V1],
} as const;

const NAMES = [...CURRENT.tables, ...CURRENT.triggers];
const presentCount = (db: SQLiteDatabase): number =>
  (db
    .prepare(`SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN (${NAMES.map(() => '?').join(',')})`)
    .pluck()
    .get(...NAMES) as number);

/**
 * Repair, not a migration: puts back audit tables and triggers that someone holding the key
 * dropped. Nothing is rebuilt from the rows (a missing head stays empty, so verify reports
 * 'head-missing' and appends fail closed); the chain and head say whether data changed.
 * A normal open costs one read of sqlite_master and runs no DDL, so other connections keep
 * their prepared statements.
 */
export function repairAuditObjects(db: SQLiteDatabase): boolean {
  if (presentCount(db) === NAMES.length) return false;
  db.transaction(() => {
    for (const sql of CURRENT.restore) db.exec(sql);
  }).immediate();
  return true;
}

/** Brings the file to the current format (db/migrations) and repairs the audit objects. */
export function openAuditSchema(db: SQLiteDatabase): void {
  runMigrations(db);
  repairAuditObjects(db);
}
