/**
 * RxStorage for RxDB on better-sqlite3-multiple-ciphers: one (optionally
 * encrypted) SQLite file per RxDB database, SQL indexes for schema indexes.
 * Generic: nothing in this folder knows about the application using it.
 */
export { getRxStorageSQLite, SQLITE_STORAGE_NAME, type RxStorageSQLite } from './sqliteStorage.ts';
export { type SQLiteStorageSettings, databaseFilePath } from './connection.ts';
export { SQLiteStorageError, type SQLiteStorageErrorCode, type StorageClosedError } from './errors.ts';
export {
  RxStorageInstanceSQLite,
  type SQLiteInstanceCreationOptions,
  type SQLiteInternals,
} from './sqliteInstance.ts';
