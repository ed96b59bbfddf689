import { createRxDatabase, getChangedDocumentsSince, type RxCollection, type RxDatabase, type RxStorageDefaultCheckpoint } from 'rxdb';
import { openConnection, type SQLiteStorageSettings } from '../../db/storage/connection';
import { getRxStorageSQLite } from '../../db/storage/index';
import type { SQLiteDatabase } from '../../db/storage/sqlHelpers';
import { benchResourceSchema, type BenchResourceDoc } from './fhirDocs';

/** The work both sides of a comparison do; every read returns how many documents it produced. */
export type BenchStore = {
  readonly label: string;
  insert(docs: BenchResourceDoc[]): Promise<void>;
  /** Closes and opens the file again: empties SQLite's page cache (and RxDB's document cache). */
  reopen(): Promise<void>;
  findByIds(keys: readonly string[]): Promise<number>;
  /** Observations of one type updated in [fromIso, toIso), oldest first. */
  rangeQuery(resourceType: string, fromIso: string, toIso: string): Promise<number>;
  /** Everything cached about one patient. */
  patientQuery(patientId: string): Promise<number>;
  count(resourceType: string, fromIso: string, toIso: string): Promise<number>;
  /** One full pass over getChangedDocumentsSince in pages of `pageSize`. */
  changesSince(pageSize: number): Promise<number>;
  close(): Promise<void>;
};

export type StoreOptions = Readonly<{
  directory: string;
  key?: string;
  cipher?: string;
  /** PRAGMA cache_size in KiB; undefined keeps SQLite's default (2 MB). */
  cacheSizeKiB?: number;
}>;

function connectionSettings(options: StoreOptions): SQLiteStorageSettings {
  return {
    directory: options.directory,
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.cipher === undefined ? {} : { cipher: options.cipher }),
  };
}

function setCacheSize(db: SQLiteDatabase, cacheSizeKiB: number | undefined): void {
  // connection.ts has no cache-size setting yet; a negative cache_size is KiB, not pages.
  if (cacheSizeKiB !== undefined) db.pragma(`cache_size = -${Math.floor(cacheSizeKiB)}`);
}

const RAW_TABLE_SQL = [
  'CREATE TABLE IF NOT EXISTS res (key TEXT PRIMARY KEY, resource_type TEXT NOT NULL, patient_id TEXT NOT NULL, ' +
    'last_updated TEXT NOT NULL, synced_at TEXT NOT NULL, lwt REAL NOT NULL, data TEXT NOT NULL)',
  'CREATE INDEX IF NOT EXISTS res_patient ON res (patient_id, resource_type)',
  'CREATE INDEX IF NOT EXISTS res_type_updated ON res (resource_type, last_updated)',
  'CREATE INDEX IF NOT EXISTS res_synced ON res (synced_at)',
  'CREATE INDEX IF NOT EXISTS res_lwt ON res (lwt, key)',
];

/**
 * The floor: better-sqlite3-multiple-ciphers on a hand-written table with one index per query,
 * opened through the storage's own `openConnection` (same keying, WAL, synchronous=FULL,
 * busy timeout). It still parses every JSON row it returns, as any caller would.
 */
export function openRawStore(options: StoreOptions): BenchStore {
  let db: SQLiteDatabase;
  let statements: ReturnType<typeof prepare>;
  const prepare = (d: SQLiteDatabase) => ({
    insert: d.prepare('INSERT INTO res (key, resource_type, patient_id, last_updated, synced_at, lwt, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    byId: d.prepare('SELECT data FROM res WHERE key = ?').pluck(),
    range: d.prepare('SELECT data FROM res WHERE resource_type = ? AND last_updated >= ? AND last_updated < ? ORDER BY last_updated, key').pluck(),
    patient: d.prepare('SELECT data FROM res WHERE patient_id = ? ORDER BY resource_type, key').pluck(),
    count: d.prepare('SELECT count(*) FROM res WHERE resource_type = ? AND last_updated >= ? AND last_updated < ?').pluck(),
    changes: d.prepare('SELECT data, lwt, key FROM res WHERE (lwt, key) > (?, ?) ORDER BY lwt, key LIMIT ?').raw(),
  });
  const open = () => {
    db = openConnection(connectionSettings(options), 'raw').db;
    setCacheSize(db, options.cacheSizeKiB);
    for (const sql of RAW_TABLE_SQL) db.exec(sql);
    statements = prepare(db);
  };
  open();
  let lastLwt = 0;
  const parseAll = (rows: unknown[]) => rows.map((data) => JSON.parse(data as string) as unknown).length;
  return {
    label: 'raw',
    async insert(docs) {
      db.transaction(() => {
        for (const doc of docs) {
          // Strictly increasing, like RxDB's now(): fractional milliseconds.
          lastLwt = Math.max(lastLwt + 0.01, performance.timeOrigin + performance.now());
          statements.insert.run(doc.key, doc.resourceType, doc.patientId, doc.lastUpdated, doc.syncedAt, lastLwt, JSON.stringify(doc));
        }
      }).immediate();
    },
    async reopen() {
      db.close();
      open();
    },
    async findByIds(keys) {
      let found = 0;
      for (const key of keys) {
        const data = statements.byId.get(key) as string | undefined;
        if (data !== undefined) {
          JSON.parse(data);
          found += 1;
        }
      }
      return found;
    },
    async rangeQuery(type, fromIso, toIso) {
      return parseAll(statements.range.all(type, fromIso, toIso));
    },
    async patientQuery(patientId) {
      return parseAll(statements.patient.all(patientId));
    },
    async count(type, fromIso, toIso) {
      return Number(statements.count.get(type, fromIso, toIso));
    },
    async changesSince(pageSize) {
      let lwt = -Infinity;
      let key = '';
      let seen = 0;
      for (;;) {
        const rows = statements.changes.all(lwt, key, pageSize) as [string, number, string][];
        for (const [data] of rows) JSON.parse(data);
        seen += rows.length;
        const last = rows[rows.length - 1];
        if (last === undefined) return seen;
        lwt = last[1];
        key = last[2];
      }
    },
    async close() {
      db.close();
    },
  };
}

type ResCollection = RxCollection<BenchResourceDoc>;

/** RxDB refuses two open databases with one name on one storage; each store gets its own. */
let rxdbStoreCount = 0;

/** Our storage through RxDB's public API: a database with one collection, as the app uses it. */
export async function openRxdbStore(options: StoreOptions): Promise<BenchStore & { collection(): ResCollection }> {
  const storage = getRxStorageSQLite(connectionSettings(options));
  const name = `bench-${++rxdbStoreCount}`;
  let database: RxDatabase;
  let collection: ResCollection;
  const open = async () => {
    database = await createRxDatabase({ name, storage, multiInstance: false, eventReduce: true });
    const collections = await database.addCollections({ res: { schema: benchResourceSchema } });
    collection = collections.res as unknown as ResCollection;
    setCacheSize(sqliteOf(collection), options.cacheSizeKiB);
  };
  await open();
  return {
    label: 'rxdb',
    collection: () => collection,
    async insert(docs) {
      const result = await collection.bulkInsert(docs);
      if (result.error.length > 0) throw new Error(`bulkInsert: ${result.error.length} write errors`);
    },
    async reopen() {
      await database.close();
      await open();
    },
    async findByIds(keys) {
      return (await collection.findByIds([...keys]).exec()).size;
    },
    async rangeQuery(resourceType, fromIso, toIso) {
      const docs = await collection
        .find({ selector: { resourceType, lastUpdated: { $gte: fromIso, $lt: toIso } }, sort: [{ lastUpdated: 'asc' }] })
        .exec();
      return docs.length;
    },
    async patientQuery(patientId) {
      return (await collection.find({ selector: { patientId } }).exec()).length;
    },
    async count(resourceType, fromIso, toIso) {
      return collection.count({ selector: { resourceType, lastUpdated: { $gte: fromIso, $lt: toIso } } }).exec();
    },
    async changesSince(pageSize) {
      let checkpoint: RxStorageDefaultCheckpoint | undefined;
      let seen = 0;
      for (;;) {
        const page = await getChangedDocumentsSince(collection.storageInstance, pageSize, checkpoint);
        if (page.documents.length === 0) return seen;
        seen += page.documents.length;
        checkpoint = page.checkpoint as RxStorageDefaultCheckpoint;
      }
    },
    async close() {
      await database.close();
    },
  };
}

/** The SQLite connection under a collection (our storage instance's internals). */
export function sqliteOf(collection: ResCollection): SQLiteDatabase {
  const internals = collection.internalStorageInstance.internals as { connection?: { db?: SQLiteDatabase } };
  const db = internals.connection?.db;
  if (db === undefined) throw new Error('collection is not on the onscene-sqlite storage');
  return db;
}
