import fs from 'node:fs';
import { AppError } from '../core/errors';
import { type AuditLog, createAuditLog } from './auditLog';
import { databaseFilePath, openConnection } from './storage/connection';
import { SQLiteStorageError } from './storage/errors';

/** The store's file name (db/localStore.ts DATABASE_NAME), without loading RxDB. */
const DATABASE_NAME = 'onscene';

export type AuditFile = Readonly<{ log: AuditLog; close(): void }>;

/**
 * Opens only the audit trail of an existing local store, for the IG command line and tools:
 * plain SQL on its own connection beside a running app (WAL), no RxDB. Never creates a store.
 */
export function openAuditFile(options: Readonly<{ directory: string; key: string; name?: string }>): AuditFile {
  const settings = { directory: options.directory, key: options.key };
  const filePath = databaseFilePath(settings, options.name ?? DATABASE_NAME);
  if (!fs.existsSync(filePath)) throw new AppError('not-found', 'There is no OnScene database in that data folder.');
  let connection;
  try {
    connection = openConnection(settings, options.name ?? DATABASE_NAME);
  } catch (error) {
    if (error instanceof SQLiteStorageError && error.code === 'wrong-key') {
      throw new AppError('wrong-key', 'The local database could not be unlocked with this key.', { cause: error });
    }
    throw new AppError('storage-failed', 'The local database could not be opened.', { cause: error });
  }
  const db = connection.db;
  try {
    return { log: createAuditLog(db), close: () => db.close() };
  } catch (error) {
    db.close();
    // A file from a newer build, or a migration step that failed, already says what to do.
    if (error instanceof AppError) throw error;
    throw new AppError('storage-failed', 'The audit trail could not be opened.', { cause: error });
  }
}
