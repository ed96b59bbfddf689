import { type RxCollection, type RxDatabase, type RxStorage, createRxDatabase } from 'rxdb';
import { AppError } from '../core/errors';
import { type AuditLog, createAuditLog } from './auditLog';
import {
  type CachedResourceDoc, type OutboxDoc, type PatientScopeDoc, type SyncIssueDoc, type SyncStateDoc,
  cachedResourceSchema, outboxSchema, patientScopeSchema, syncIssueSchema, syncStateSchema,
} from './schemas';
import { getRxStorageSQLite } from './storage/index';
import { openConnection } from './storage/connection';
import { SQLiteStorageError } from './storage/errors';

export const DATABASE_NAME = 'onscene';

export type LocalStoreCollections = {
  resources: RxCollection<CachedResourceDoc>;
  syncstate: RxCollection<SyncStateDoc>;
  patientscopes: RxCollection<PatientScopeDoc>;
  outbox: RxCollection<OutboxDoc>;
  syncissues: RxCollection<SyncIssueDoc>;
};

export type LocalStore = Readonly<{
  db: RxDatabase<LocalStoreCollections>;
  resources: RxCollection<CachedResourceDoc>;
  syncState: RxCollection<SyncStateDoc>;
  /** Why each patient is cached and until when (sync scopes). */
  patientScopes: RxCollection<PatientScopeDoc>;
  /** Local writes waiting for the central record. */
  outbox: RxCollection<OutboxDoc>;
  /** Quarantined items, conflicts and purges, for people to review. */
  syncIssues: RxCollection<SyncIssueDoc>;
  audit: AuditLog;
  close(): Promise<void>;
}>;

export type LocalStoreOptions = Readonly<{
  directory: string;
  /** The data key (hex); the file is encrypted with it. */
  key: string;
  /**
   * File and RxDB name (default DATABASE_NAME). RxDB closes an older database of the same name in
   * the process, so two devices simulated in one test process need two names.
   */
  name?: string;
  /** Tests may pass another RxStorage; the audit table always lives in the SQLite file. */
  storage?: RxStorage<unknown, unknown>;
}>;

function storageFailure(error: unknown): AppError {
  if (error instanceof SQLiteStorageError && error.code === 'wrong-key') {
    return new AppError('wrong-key', 'The local database could not be unlocked with this key.', { cause: error });
  }
  return new AppError('storage-failed', 'The local database could not be opened.', { cause: error });
}

/** Opens (creating if needed) the encrypted local store: RxDB collections and the audit table. */
export async function openLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  // 64 MiB holds a crew's working set (incident patients plus the area caseload's safety tier).
  const settings = { directory: options.directory, key: options.key, cacheSizeKiB: 64 * 1024 };
  let auditConnection;
  try {
    // The audit log has its own connection to the same file: plain SQL, its own triggers.
    auditConnection = openConnection(settings, options.name ?? DATABASE_NAME);
  } catch (error) {
    throw storageFailure(error);
  }
  const audit = createAuditLog(auditConnection.db);
  let db: RxDatabase<LocalStoreCollections>;
  try {
    db = await createRxDatabase<LocalStoreCollections>({
      name: options.name ?? DATABASE_NAME,
      storage: options.storage ?? getRxStorageSQLite(settings),
      multiInstance: false,
      eventReduce: true,
      closeDuplicates: true,
    });
    await db.addCollections({
      resources: { schema: cachedResourceSchema },
      syncstate: { schema: syncStateSchema },
      // RxDB's open-source build allows few open collections: sync keeps itself to these five.
      patientscopes: { schema: patientScopeSchema },
      outbox: { schema: outboxSchema },
      syncissues: { schema: syncIssueSchema },
    });
  } catch (error) {
    auditConnection.db.close();
    throw storageFailure(error);
  }
  return {
    db,
    resources: db.resources,
    syncState: db.syncstate,
    patientScopes: db.patientscopes,
    outbox: db.outbox,
    syncIssues: db.syncissues,
    audit,
    async close() {
      await db.close();
      auditConnection.db.close();
    },
  };
}
