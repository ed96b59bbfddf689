import { GENESIS_HASH } from '../../core/auditChain';
import type { SQLiteDatabase } from '../storage/sqlHelpers';
import type { Migration } from './runMigrations';

/**
 * Format 1: the audit trail's tables and the triggers that make it append-only (issue #3,
 * DESIGN §5), as the code before numbered migrations created them by inspecting the schema.
 *
 * - audit_log: one row per entry, gap-free `seq`, hash-chained. Inserts must extend the head;
 *   the only UPDATE allowed is acked 0→1; only acknowledged entries at or below the anchor may
 *   be deleted (the purge).
 * - audit_head: one row — the chain head (last seq and hash) and the anchor (last purged seq and
 *   hash). Moved by a trigger in the same statement as each insert, so cutting entries off the
 *   end leaves a head that points past them. It only ever moves forward.
 * - audit_quarantine: entries the central record refused (4xx); kept, never purged, retried.
 *
 * Triggers stop mistakes and casual edits; someone holding the key can drop them. What detects
 * that is the chain itself plus the head (verify), and beyond the device, the central record's
 * acknowledged copies.
 *
 * Frozen: the text below is format 1. db/auditSchema.ts reuses it to put back missing objects
 * while format 1 is the newest; a later migration that changes them brings its own copy.
 */

/** patient_nhs last: where the ALTER of a pre-format file puts it too. */
export const AUDIT_TABLES_V1 = `
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
  acked INTEGER NOT NULL DEFAULT 0,
  patient_nhs TEXT
);
CREATE TABLE IF NOT EXISTS audit_quarantine (
  seq INTEGER PRIMARY KEY,
  status INTEGER,
  quarantined_at TEXT NOT NULL
);
`;

export const AUDIT_HEAD_TABLE_V1 = `
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  anchor_seq INTEGER NOT NULL,
  anchor_hash TEXT NOT NULL
);
`;

/** The head of a new chain, or of a chain written before the head table existed. */
const ADOPT_HEAD = `
INSERT INTO audit_head (id, head_seq, head_hash, anchor_seq, anchor_hash) SELECT 1,
  COALESCE((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0),
  COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${GENESIS_HASH}'),
  COALESCE((SELECT seq - 1 FROM audit_log ORDER BY seq LIMIT 1), 0),
  COALESCE((SELECT prev_hash FROM audit_log ORDER BY seq LIMIT 1), '${GENESIS_HASH}');
`;

export const AUDIT_INDEXES_V1 = `
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log(user_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_patient ON audit_log(patient_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_patient_nhs ON audit_log(patient_nhs) WHERE patient_nhs IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log(action, seq);
CREATE INDEX IF NOT EXISTS audit_log_recorded ON audit_log(recorded_at);
CREATE INDEX IF NOT EXISTS audit_log_pending ON audit_log(seq) WHERE acked = 0;
`;

export const AUDIT_TRIGGER_NAMES_V1 = [
  'audit_log_extends_head', 'audit_log_moves_head', 'audit_log_append_only', 'audit_log_purge_only_anchored',
  'audit_head_no_delete', 'audit_head_single', 'audit_head_forward_only',
] as const;

export const AUDIT_TRIGGERS_V1 = `
CREATE TRIGGER IF NOT EXISTS audit_log_extends_head BEFORE INSERT ON audit_log
  WHEN NEW.acked IS NOT 0 OR NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1 AND head_seq + 1 = NEW.seq AND head_hash = NEW.prev_hash)
  BEGIN SELECT RAISE(ABORT, 'audit_log: an entry must extend the chain head'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_moves_head AFTER INSERT ON audit_log
  BEGIN UPDATE audit_head SET head_seq = NEW.seq, head_hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log
  WHEN NOT (OLD.acked = 0 AND NEW.acked = 1 AND NEW.seq = OLD.seq AND NEW.body = OLD.body AND NEW.hash = OLD.hash
            AND NEW.prev_hash = OLD.prev_hash AND NEW.event_id = OLD.event_id AND NEW.recorded_at = OLD.recorded_at
            AND NEW.action = OLD.action AND NEW.user_id = OLD.user_id AND NEW.patient_id IS OLD.patient_id
            AND NEW.patient_nhs IS OLD.patient_nhs)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_purge_only_anchored BEFORE DELETE ON audit_log
  WHEN OLD.acked = 0 OR OLD.seq > COALESCE((SELECT anchor_seq FROM audit_head WHERE id = 1), -1)
  BEGIN SELECT RAISE(ABORT, 'audit_log entries are kept until acknowledged and anchored'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'audit_head cannot be removed'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_single BEFORE INSERT ON audit_head
  WHEN EXISTS (SELECT 1 FROM audit_head)
  BEGIN SELECT RAISE(ABORT, 'audit_head has one row'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_forward_only BEFORE UPDATE ON audit_head
  WHEN NOT (NEW.id = 1 AND (
    (NEW.anchor_seq = OLD.anchor_seq AND NEW.anchor_hash = OLD.anchor_hash AND NEW.head_seq = OLD.head_seq + 1
      AND EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.head_seq AND hash = NEW.head_hash))
    OR
    (NEW.head_seq = OLD.head_seq AND NEW.head_hash = OLD.head_hash AND NEW.anchor_seq > OLD.anchor_seq
      AND NEW.anchor_seq <= OLD.head_seq
      AND EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.anchor_seq AND hash = NEW.anchor_hash AND acked = 1)
      AND NOT EXISTS (SELECT 1 FROM audit_log WHERE seq <= NEW.anchor_seq AND acked = 0))))
  BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward with the chain'); END;
`;

const hasTable = (db: SQLiteDatabase, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const hasColumn = (db: SQLiteDatabase, table: string, column: string): boolean =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).some((c) => c.name === column);

/**
 * From user_version 0, which is any of: a new empty file; a file of the schema-inspecting code
 * (already this shape: every statement below is then a no-op); or a chain written before the
 * head table and patient_nhs existed. A new or pre-head chain gets its head from its rows. A
 * head removed later is never rebuilt from the rows, which could hide a truncation: appends
 * then fail closed and verify reports 'head-missing'.
 */
export const auditTrailMigration: Migration = {
  version: 1,
  name: 'audit-trail',
  up(db) {
    const isPreHead = hasTable(db, 'audit_log') && !hasColumn(db, 'audit_log', 'patient_nhs');
    db.exec(AUDIT_TABLES_V1);
    if (!hasColumn(db, 'audit_log', 'patient_nhs')) db.exec('ALTER TABLE audit_log ADD COLUMN patient_nhs TEXT');
    if (!hasTable(db, 'audit_head')) {
      const isEmpty = db.prepare('SELECT 1 FROM audit_log LIMIT 1').get() === undefined;
      db.exec(AUDIT_HEAD_TABLE_V1);
      if (isPreHead || isEmpty) db.exec(ADOPT_HEAD);
    }
    db.exec(AUDIT_INDEXES_V1);
    // Triggers of the first append-only design, replaced by the head-aware ones.
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    db.exec(AUDIT_TRIGGERS_V1);
  },
};
