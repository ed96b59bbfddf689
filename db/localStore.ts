import { type RxCollection, type RxDatabase, type RxStorage, createRxDatabase } from 'rxdb';
import { AppError } from '../core/errors';
import { type AuditLog, createAuditLog } from './auditLog';
import { openConnectionUpgradingCipher } from './cipherUpgrade';
import { addStoreRxPlugins, checkMigrationStrategies } from './rxMigrations';
import {
  type CachedResourceDoc, type OutboxDoc, type PatientScopeDoc, type SyncIssueDoc, type SyncStateDoc,
  cachedResourceMigrationStrategies, cachedResourceSchema, outboxMigrationStrategies, outboxSchema, patientScopeMigrationStrategies,
  patientScopeSchema, syncIssueMigrationStrategies, syncIssueSchema, syncStateMigrationStrategies, syncStateSchema,
} from './schemas';
import { getRxStorageSQLite } from './storage/index';
import { type TriageStore, createTriageStore } from './triageStore';
import { type CallReferences, createCallReferences } from './callReferences';
import { type PatientIndex, createPatientIndex } from './patientIndex';
import { rebuildPatientIndexIfNeeded, watchPatientIndex } from './patientIndexSync';
import type { SQLiteStorageSettings, SharedConnection } from './storage/connection';
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
  /** Triage episodes as entered (plain SQL on the audit connection: durable before "Saved"). */
  triage: TriageStore;
  /** Issue #13: the cached Patients by NHS number, names, phonetic keys, birth date and postcode (plain SQL, same connection). */
  patients: PatientIndex;
  /** 111 calls started on this device. */
  calls: CallReferences;
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
  /** The cipher to write with (default DEFAULT_CIPHER, db/storage/connection.ts). */
  cipher?: string;
  /**
   * Ciphers earlier builds wrote with, tried in order when the key does not open the file with
   * the current one; a file that opens is re-encrypted in place first (db/cipherUpgrade.ts).
   * When the default cipher changes, the app passes the old default here.
   */
  legacyCiphers?: readonly string[];
}>;

/** Each collection with its schema version's migration strategies (db/schemas.ts). */
const COLLECTIONS = {
  resources: { schema: cachedResourceSchema, migrationStrategies: cachedResourceMigrationStrategies },
  syncstate: { schema: syncStateSchema, migrationStrategies: syncStateMigrationStrategies },
  // RxDB's open-source build allows few open collections: sync keeps itself to these five.
  patientscopes: { schema: patientScopeSchema, migrationStrategies: patientScopeMigrationStrategies },
  outbox: { schema: outboxSchema, migrationStrategies: outboxMigrationStrategies },
  syncissues: { schema: syncIssueSchema, migrationStrategies: syncIssueMigrationStrategies },
} as const;

function storageFailure(error: unknown): AppError {
  // Already worded for the user: a file from a newer build, a migration step that failed.
  if (error instanceof AppError) return error;
  if (error instanceof SQLiteStorageError && error.code === 'wrong-key') {
    return new AppError('wrong-key', 'The local database could not be unlocked with this key.', { cause: error });
  }
  return new AppError('storage-failed', 'The local database could not be opened.', { cause: error });
}

/**
 * Opens the audit connection first: it re-encrypts a file still under a legacy cipher, brings the
 * file to the current format (createAuditLog → db/migrations) and refuses one from a newer build,
 * all before RxDB touches the file.
 */
function openAuditConnection(
  options: LocalStoreOptions,
  settings: SQLiteStorageSettings,
): Readonly<{ connection: SharedConnection; audit: AuditLog }> {
  let connection: SharedConnection;
  try {
    // The audit log has its own connection to the same file: plain SQL, its own triggers.
    connection = openConnectionUpgradingCipher(settings, options.name ?? DATABASE_NAME, options.legacyCiphers).connection;
  } catch (error) {
    throw storageFailure(error);
  }
  try {
    return { connection, audit: createAuditLog(connection.db) };
  } catch (error) {
    connection.db.close();
    throw storageFailure(error);
  }
}

/** Opens (creating if needed) the encrypted local store: RxDB collections and the audit table. */
export async function openLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  // 64 MiB holds a crew's working set (incident patients plus the area caseload's safety tier).
  const settings = {
    directory: options.directory,
    key: options.key,
    cacheSizeKiB: 64 * 1024,
    ...(options.cipher === undefined ? {} : { cipher: options.cipher }),
  };
  const { connection: auditConnection, audit } = openAuditConnection(options, settings);
  let db: RxDatabase<LocalStoreCollections> | undefined;
  let stopIndexing: (() => void) | undefined;
  const patients = createPatientIndex(auditConnection.db);
  try {
    addStoreRxPlugins();
    for (const [name, spec] of Object.entries(COLLECTIONS)) {
      checkMigrationStrategies(name, spec.schema, spec.migrationStrategies);
    }
    db = await createRxDatabase<LocalStoreCollections>({
      name: options.name ?? DATABASE_NAME,
      storage: options.storage ?? getRxStorageSQLite(settings),
      multiInstance: false,
      eventReduce: true,
      closeDuplicates: true,
    });
    // RxDB runs each collection's pending schema migration here (autoMigrate).
    await db.addCollections(COLLECTIONS);
    // Watch first, then compare: a write between the two is in the table either way.
    stopIndexing = watchPatientIndex(db.resources, patients);
    await rebuildPatientIndexIfNeeded(db.resources, patients);
  } catch (error) {
    stopIndexing?.();
    await db?.close();
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
    triage: createTriageStore(auditConnection.db),
    patients,
    calls: createCallReferences(auditConnection.db),
    async close() {
      stopIndexing?.();
      await db.close();
      auditConnection.db.close();
    },
  };
}
