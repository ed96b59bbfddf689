import {
  addRxStorageMultiInstanceSupport,
  ensureRxStorageInstanceParamsAreCorrect,
  RXDB_VERSION,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { ConnectionPool, type SQLiteStorageSettings } from './connection.ts';
import { SQLiteStorageError } from './errors.ts';
import {
  createSQLiteStorageInstance,
  type RxStorageInstanceSQLite,
  type SQLiteInstanceCreationOptions,
  type SQLiteInternals,
} from './sqliteInstance.ts';

export const SQLITE_STORAGE_NAME = 'onscene-sqlite';

export type RxStorageSQLite = Omit<RxStorage<SQLiteInternals, SQLiteInstanceCreationOptions>, 'createStorageInstance'> & {
  createStorageInstance<RxDocType>(
    params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceCreationOptions>,
  ): Promise<RxStorageInstanceSQLite<RxDocType>>;
};

/**
 * An RxStorage that keeps each RxDB database in one SQLite file,
 * `${directory}/${databaseName}.sqlite`, optionally encrypted.
 *
 * @example
 * const db = await createRxDatabase({ name: 'app', storage: getRxStorageSQLite({ directory: '/data' }) });
 */
export function getRxStorageSQLite(settings: SQLiteStorageSettings): RxStorageSQLite {
  if (typeof settings.directory !== 'string' || settings.directory.length === 0) {
    throw new SQLiteStorageError('invalid-argument', 'directory must be a path or \':memory:\'');
  }
  const pool = new ConnectionPool(settings);
  const storage: RxStorageSQLite = {
    name: SQLITE_STORAGE_NAME,
    rxdbVersion: RXDB_VERSION,
    createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceCreationOptions>,
    ): Promise<RxStorageInstanceSQLite<RxDocType>> {
      try {
        ensureRxStorageInstanceParamsAreCorrect(params);
        const instance = createSQLiteStorageInstance(pool, params);
        // Another RxDatabase (tab, window, process) on the same file learns of
        // our writes through RxDB's BroadcastChannel-based helper.
        addRxStorageMultiInstanceSupport(SQLITE_STORAGE_NAME, params, instance);
        return Promise.resolve(instance);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
  // Checked here so a change in RxDB's interface fails the type check.
  return storage satisfies RxStorage<SQLiteInternals, SQLiteInstanceCreationOptions>;
}
