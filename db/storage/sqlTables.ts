import type { RxDocumentData } from 'rxdb';
import type { SqlIndexColumn } from './sqlIndex.ts';
import { quoteIdentifier, type CollectionTables, type SQLiteDatabase, type StatementCache } from './sqlHelpers.ts';

/**
 * The SQL text of every statement one collection uses. Built once per
 * instance from sanitized identifiers; all values are `?` parameters.
 */
export type CollectionSql = Readonly<{
  selectByIds: string;
  upsert: string;
  changedSince: string;
  /** Undefined when the schema has no attachments (then the table is never created). */
  cleanupAttachments: string | undefined;
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
  withAttachments: boolean,
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
    cleanupAttachments: withAttachments ? `DELETE FROM ${atts} WHERE doc_id IN (${expiredDocs})` : undefined,
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

export type TableOptions = Readonly<{
  /** Only schemas with `attachments` get the attachments table. */
  withAttachments: boolean;
  /** The SQL index of the former `_meta.lwt` BLOB column; dropped when found (the column stays, unused). */
  legacyLwtIndex: string;
}>;

/**
 * 'complete' when every table and SQL index is there already (and the former
 * `_meta.lwt` index is not): one read of sqlite_master instead of a write
 * transaction with its commit (and fsync) on every open. An SQL index on a
 * column implies the column exists. 'missing': no docs table yet.
 */
export function tablesState<RxDocType>(
  db: SQLiteDatabase,
  tables: CollectionTables,
  indexColumns: readonly SqlIndexColumn<RxDocType>[],
  options: TableOptions,
): 'complete' | 'partial' | 'missing' {
  const names = new Set(
    db.prepare('SELECT name FROM sqlite_master WHERE tbl_name IN (?, ?)').pluck().all(tables.docs, tables.attachments) as string[],
  );
  if (!names.has(tables.docs)) {
    return 'missing';
  }
  const wanted = [`${tables.docs}:lwt`, `${tables.docs}:tombstones`, ...indexColumns.map((c) => `${tables.docs}:${c.columnName}`)];
  if (options.withAttachments) {
    wanted.push(tables.attachments);
  }
  return wanted.every((name) => names.has(name)) && !names.has(options.legacyLwtIndex) ? 'complete' : 'partial';
}

/** Whether the docs table exists (another connection may have created it). */
export function docsTableExists(statements: StatementCache, tables: CollectionTables): boolean {
  return statements.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(tables.docs) !== undefined;
}

/**
 * Creates (or completes) the tables and SQL indexes of one collection, in one
 * transaction (a savepoint when called inside a bulkWrite's transaction).
 */
export function ensureCollectionTables<RxDocType>(
  db: SQLiteDatabase,
  tables: CollectionTables,
  indexColumns: readonly SqlIndexColumn<RxDocType>[],
  options: TableOptions,
): void {
  if (tablesState(db, tables, indexColumns, options) === 'complete') {
    return;
  }
  const docs = quoteIdentifier(tables.docs);
  const atts = quoteIdentifier(tables.attachments);
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${docs} (id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, ` +
        'deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL)',
    );
    // Serves getChangedDocumentsSince and RxDB's ['_meta.lwt', primaryKey] index.
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${tables.docs}:lwt`)} ON ${docs} (lwt, id)`);
    // Small partial index: only tombstones, for cleanup().
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${tables.docs}:tombstones`)} ON ${docs} (lwt) WHERE deleted = 1`);
    // Files written before the native (lwt, id) index answered RxDB's lwt index
    // have a BLOB column for it; new rows leave it NULL, so its index must go.
    db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(options.legacyLwtIndex)}`);
    const have = existingColumns(db, tables.docs);
    for (const column of indexColumns) {
      if (!have.has(column.columnName)) {
        db.exec(`ALTER TABLE ${docs} ADD COLUMN ${column.column} BLOB`);
        backfillIndexColumn(db, docs, column);
      }
      db.exec(`CREATE INDEX IF NOT EXISTS ${column.sqlIndexName} ON ${docs} (${column.column})`);
    }
    if (options.withAttachments) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${atts} (doc_id TEXT NOT NULL, attachment_id TEXT NOT NULL, ` +
          'digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc_id, attachment_id))',
      );
    }
  }).immediate();
}
