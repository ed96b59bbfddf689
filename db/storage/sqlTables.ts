import type { RxDocumentData } from 'rxdb';
import type { SqlIndexColumn } from './sqlIndex.ts';
import { quoteIdentifier, type CollectionTables, type SQLiteDatabase } from './sqlHelpers.ts';

/**
 * The SQL text of every statement one collection uses. Built once per
 * instance from sanitized identifiers; all values are `?` parameters.
 */
export type CollectionSql = Readonly<{
  selectByIds: string;
  upsert: string;
  changedSince: string;
  cleanupAttachments: string;
  cleanupDocs: string;
  scanAll: string;
  selectAttachment: string;
  upsertAttachment: string;
  deleteAttachment: string;
  dropDocs: string;
  dropAttachments: string;
}>;

export function buildCollectionSql<RxDocType>(
  tables: CollectionTables,
  indexColumns: readonly SqlIndexColumn<RxDocType>[],
): CollectionSql {
  const docs = quoteIdentifier(tables.docs);
  const atts = quoteIdentifier(tables.attachments);
  const idxNames = indexColumns.map((c) => c.column);
  const insertColumns = ['id', 'data', 'deleted', 'lwt', 'rev', ...idxNames];
  const updateSet = insertColumns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
  const expiredDocs = `SELECT id FROM ${docs} WHERE deleted = 1 AND lwt <= ?`;
  return {
    // json_each binds the whole id list as one parameter, so there is no
    // variable-count limit and the statement text never changes.
    selectByIds: `SELECT data FROM ${docs} WHERE id IN (SELECT value FROM json_each(?))`,
    upsert:
      `INSERT INTO ${docs} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')}) ` +
      `ON CONFLICT(id) DO UPDATE SET ${updateSet}`,
    // A row-value comparison lets SQLite seek in the (lwt, id) index; the
    // equivalent `lwt > ? OR (lwt = ? AND id > ?)` scans it from the start.
    changedSince: `SELECT data FROM ${docs} WHERE (lwt, id) > (?, ?) ORDER BY lwt, id LIMIT ?`,
    cleanupAttachments: `DELETE FROM ${atts} WHERE doc_id IN (${expiredDocs})`,
    cleanupDocs: `DELETE FROM ${docs} WHERE id IN (${expiredDocs})`,
    scanAll: `SELECT data FROM ${docs}`,
    selectAttachment: `SELECT data, type, digest FROM ${atts} WHERE doc_id = ? AND attachment_id = ?`,
    upsertAttachment:
      `INSERT INTO ${atts} (doc_id, attachment_id, digest, type, data) VALUES (?, ?, ?, ?, ?) ` +
      'ON CONFLICT(doc_id, attachment_id) DO UPDATE SET digest = excluded.digest, type = excluded.type, data = excluded.data',
    deleteAttachment: `DELETE FROM ${atts} WHERE doc_id = ? AND attachment_id = ?`,
    dropDocs: `DROP TABLE IF EXISTS ${docs}`,
    dropAttachments: `DROP TABLE IF EXISTS ${atts}`,
  };
}

function existingColumns(db: SQLiteDatabase, table: string): Set<string> {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Fills an index column added to an existing table (same schema version,
 * changed indexes). Reads in rowid pages because better-sqlite3 cannot run
 * an UPDATE while an iterator on the same connection is open.
 */
function backfillIndexColumn<RxDocType>(db: SQLiteDatabase, docs: string, column: SqlIndexColumn<RxDocType>): void {
  const select = db.prepare(`SELECT rowid AS r, data FROM ${docs} WHERE rowid > ? ORDER BY rowid LIMIT 1000`);
  const update = db.prepare(`UPDATE ${docs} SET ${column.column} = ? WHERE rowid = ?`);
  let after = 0;
  for (;;) {
    const rows = select.all(after) as { r: number; data: string }[];
    for (const row of rows) {
      update.run(column.valueOf(JSON.parse(row.data) as RxDocumentData<RxDocType>), row.r);
      after = row.r;
    }
    if (rows.length < 1000) {
      return;
    }
  }
}

/** Creates (or completes) the tables and SQL indexes of one collection, in one transaction. */
export function ensureCollectionTables<RxDocType>(
  db: SQLiteDatabase,
  tables: CollectionTables,
  indexColumns: readonly SqlIndexColumn<RxDocType>[],
): void {
  const docs = quoteIdentifier(tables.docs);
  const atts = quoteIdentifier(tables.attachments);
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${docs} (id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, ` +
        'deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL)',
    );
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${tables.docs}:lwt`)} ON ${docs} (lwt, id)`);
    // Small partial index: only tombstones, for cleanup().
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${tables.docs}:tombstones`)} ON ${docs} (lwt) WHERE deleted = 1`);
    const have = existingColumns(db, tables.docs);
    for (const column of indexColumns) {
      if (!have.has(column.columnName)) {
        db.exec(`ALTER TABLE ${docs} ADD COLUMN ${column.column} BLOB`);
        backfillIndexColumn(db, docs, column);
      }
      db.exec(`CREATE INDEX IF NOT EXISTS ${column.sqlIndexName} ON ${docs} (${column.column})`);
    }
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${atts} (doc_id TEXT NOT NULL, attachment_id TEXT NOT NULL, ` +
        'digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc_id, attachment_id))',
    );
  }).immediate();
}
