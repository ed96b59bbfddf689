import { Subject, type Observable } from 'rxjs';
import {
  getPrimaryFieldOfPrimaryKey,
  now,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  type RxStorageQueryResult,
  type StringKeys,
} from 'rxdb';
import type { ConnectionPool, SharedConnection } from './connection.ts';
import { SQLiteStorageError, storageClosedError, withStorageErrors } from './errors.ts';
import { collectionTableNames, type CollectionTables } from './sqlHelpers.ts';
import { buildIndexColumns, legacyLwtIndexNames, type SqlIndexColumn } from './sqlIndex.ts';
import { countQuery, explainQuery, runQuery } from './sqliteQuery.ts';
import {
  buildCollectionSql,
  docsTableExists,
  ensureCollectionTables,
  tablesState,
  type CollectionSql,
  type TableOptions,
} from './sqlTables.ts';
import { readAttachmentBytes, runBulkWrite, type WriteContext } from './sqliteWrite.ts';

/** Per-instance options; none yet, kept as a type so callers can pass `{}`. */
export type SQLiteInstanceCreationOptions = Readonly<Record<string, never>>;

export type SQLiteInternals = Readonly<{
  connection: SharedConnection;
  tables: CollectionTables;
  sql: CollectionSql;
  tableOptions: TableOptions;
}>;

type ChangeBulk<RxDocType> = EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>;

export class RxStorageInstanceSQLite<RxDocType>
  implements RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceCreationOptions, RxStorageDefaultCheckpoint>
{
  readonly primaryPath: StringKeys<RxDocType>;
  private readonly changes$ = new Subject<ChangeBulk<RxDocType>>();
  private readonly writeContext: WriteContext<RxDocType>;
  private closed = false;
  /**
   * The tables are created by the first write (in its transaction), not on
   * open: creating them costs a commit with its fsync per collection, and
   * RxDB opens collections that are never written. Until then reads return
   * nothing, after checking whether another connection has created them.
   */
  private tablesReady: boolean;

  constructor(
    private readonly pool: ConnectionPool,
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly internals: SQLiteInternals,
    readonly options: Readonly<SQLiteInstanceCreationOptions>,
    private readonly indexColumns: readonly SqlIndexColumn<RxDocType>[],
    tablesReady: boolean,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<RxDocType>;
    this.tablesReady = tablesReady;
    this.writeContext = {
      instance: this,
      primaryPath: this.primaryPath,
      connection: internals.connection,
      sql: internals.sql,
      indexColumns,
      ensureTables: () => {
        if (!this.tablesReady) {
          this.createTables();
        }
      },
    };
  }

  private createTables(): void {
    const { connection, tables, tableOptions } = this.internals;
    ensureCollectionTables(connection.db, tables, this.indexColumns, tableOptions);
  }

  /** False while no connection has created the docs table yet (reads then find nothing). */
  private haveTables(): boolean {
    if (!this.tablesReady && docsTableExists(this.internals.connection.statements, this.internals.tables)) {
      this.createTables(); // completes what another connection created, normally nothing to do
      this.tablesReady = true;
    }
    return this.tablesReady;
  }

  private guard<T>(fn: () => T): T {
    if (this.closed) {
      throw storageClosedError(this.collectionName);
    }
    return withStorageErrors(this.internals.connection.isEncrypted, fn);
  }

  private statement(sql: string) {
    return this.internals.connection.statements.get(sql);
  }

  async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    const bytes = this.schema.attachments ? await readAttachmentBytes(rows, this.primaryPath) : new Map<string, Buffer>();
    const categorized = this.guard(() => runBulkWrite(this.writeContext, rows, context, bytes));
    this.tablesReady = true; // committed, so the tables exist
    const events = categorized.eventBulk;
    if (events.events.length > 0 && categorized.newestRow !== undefined) {
      const newest = categorized.newestRow.document;
      events.checkpoint = { id: String(newest[this.primaryPath]), lwt: newest._meta.lwt };
      // Emitted after commit and before resolving, so subscribers never see uncommitted state.
      this.changes$.next(events as ChangeBulk<RxDocType>);
    }
    return { error: categorized.errors };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    return this.guard(() => {
      if (!this.haveTables()) {
        return [];
      }
      const rows = this.statement(this.internals.sql.selectByIds).pluck().all(JSON.stringify(ids)) as string[];
      const docs = rows.map((data) => JSON.parse(data) as RxDocumentData<RxDocType>);
      return withDeleted ? docs : docs.filter((doc) => !doc._deleted);
    });
  }

  async query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    return this.guard(() => ({ documents: this.haveTables() ? runQuery(this.queryContext(), preparedQuery) : [] }));
  }

  async count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    return this.guard(() => ({ count: this.haveTables() ? countQuery(this.queryContext(), preparedQuery) : 0, mode: 'fast' as const }));
  }

  /** Diagnostics, not part of RxStorageInstance: SQLite's plan for a query's range scan. */
  explainQuery(preparedQuery: PreparedQuery<RxDocType>): string[] {
    return this.guard(() => (this.haveTables() ? explainQuery(this.queryContext(), preparedQuery) : []));
  }

  private queryContext() {
    return {
      schema: this.schema,
      statements: this.internals.connection.statements,
      sql: this.internals.sql,
      tables: this.internals.tables,
      indexColumns: this.indexColumns,
    };
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    return this.guard(() => {
      if (!this.internals.tableOptions.withAttachments || !this.haveTables()) {
        throw new SQLiteStorageError('not-found', 'attachment does not exist');
      }
      const row = this.statement(this.internals.sql.selectAttachment).get(documentId, attachmentId) as
        | { data: Buffer; type: string; digest: string }
        | undefined;
      if (row === undefined || (digest && row.digest !== digest)) {
        throw new SQLiteStorageError('not-found', 'attachment does not exist');
      }
      return new Blob([new Uint8Array(row.data)], { type: row.type });
    });
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    return this.guard(() => {
      if (!this.haveTables()) {
        return { documents: [], checkpoint: checkpoint ?? { id: '', lwt: 0 } };
      }
      const sinceLwt = checkpoint?.lwt ?? -Infinity;
      const sinceId = checkpoint?.id ?? '';
      const rows = this.statement(this.internals.sql.changedSince)
        .pluck()
        .all(sinceLwt, sinceId, limit) as string[];
      const documents = rows.map((data) => JSON.parse(data) as RxDocumentData<RxDocType>);
      const last = documents[documents.length - 1];
      const next = last ? { id: String(last[this.primaryPath]), lwt: last._meta.lwt } : (checkpoint ?? { id: '', lwt: 0 });
      return { documents, checkpoint: next };
    });
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    return this.changes$.asObservable();
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    return this.guard(() => {
      if (!this.haveTables()) {
        return true;
      }
      const maxDeletionTime = now() - minimumDeletedTime;
      const { sql } = this.internals;
      this.internals.connection.db
        .transaction(() => {
          if (sql.cleanupAttachments !== undefined) {
            this.statement(sql.cleanupAttachments).run(maxDeletionTime);
          }
          this.statement(sql.cleanupDocs).run(maxDeletionTime);
        })
        .immediate();
      return true;
    });
  }

  async remove(): Promise<void> {
    this.guard(() => {
      const { db } = this.internals.connection;
      // Only our own tables: the file may hold tables of other code (e.g. an audit log).
      db.transaction(() => {
        db.exec(this.internals.sql.dropDocs);
        db.exec(this.internals.sql.dropAttachments);
      }).immediate();
      this.internals.connection.statements.clear();
    });
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.changes$.complete();
    this.pool.release(this.databaseName, this.internals.connection);
  }
}

export function createSQLiteStorageInstance<RxDocType>(
  pool: ConnectionPool,
  params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceCreationOptions>,
): RxStorageInstanceSQLite<RxDocType> {
  const connection = pool.acquire(params.databaseName);
  try {
    const tables = collectionTableNames(params.collectionName, params.schema.version);
    const indexColumns = buildIndexColumns(params.schema, tables.docs);
    const withAttachments = params.schema.attachments !== undefined;
    const tableOptions = { withAttachments, legacyLwtIndex: legacyLwtIndexNames(params.schema, tables.docs).sqlIndexName };
    const state = withStorageErrors(connection.isEncrypted, () => {
      const found = tablesState(connection.db, tables, indexColumns, tableOptions);
      if (found === 'partial') {
        // An existing table with changed indexes: add and backfill the columns now, not inside a write.
        ensureCollectionTables(connection.db, tables, indexColumns, tableOptions);
      }
      return found;
    });
    const internals = { connection, tables, sql: buildCollectionSql(tables, indexColumns, withAttachments), tableOptions };
    return new RxStorageInstanceSQLite(
      pool,
      params.databaseName,
      params.collectionName,
      params.schema,
      internals,
      params.options,
      indexColumns,
      state !== 'missing',
    );
  } catch (error) {
    pool.release(params.databaseName, connection);
    throw error;
  }
}
