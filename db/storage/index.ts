/**
 * RxStorage for RxDB on better-sqlite3-multiple-ciphers: one (optionally
 * encrypted) SQLite file per RxDB database, SQL indexes for schema indexes.
 * Generic: nothing in this folder knows about the application using it.
 */
export { getRxStorageSQLite, SQLITE_STORAGE_NAME, type RxStorageSQLite } from './sqliteStorage.ts';
// For code that shares the file with its own tables (e.g. an append-only log):
// same keying, WAL and busy-timeout set-up as the storage itself.
export { type SQLiteStorageSettings, type SharedConnection, databaseFilePath, openConnection } from './connection.ts';
export { type SQLiteDatabase } from './sqlHelpers.ts';
export { SQLiteStorageError, type SQLiteStorageErrorCode, type StorageClosedError } from './errors.ts';
export {
  RxStorageInstanceSQLite,
  type SQLiteInstanceCreationOptions,
  type SQLiteInternals,
} from './sqliteInstance.ts';
