/**
 * Typed errors of the SQLite RxStorage.
 *
 * Messages never contain document data: they may end up in logs, and the
 * documents stored here can be personal data.
 */

export type SQLiteStorageErrorCode =
  /** The file is encrypted and the given key (or no key) cannot decrypt it. */
  | 'wrong-key'
  /** The file is a database but its pages are damaged or truncated. */
  | 'corrupt'
  /** The file is not an SQLite database at all. */
  | 'not-a-database'
  /** Settings or names that cannot be used safely. */
  | 'invalid-argument'
  /** An attachment that does not exist was requested. */
  | 'not-found';

export class SQLiteStorageError extends Error {
  override readonly name = 'SQLiteStorageError';
  readonly code: SQLiteStorageErrorCode;

  constructor(code: SQLiteStorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Using a storage instance after close(). A plain Error (with a code), not an
 * SQLiteStorageError: RxDB's storage conformance tests require exactly `Error`
 * here, and it is a programming error rather than a problem with the file.
 */
export type StorageClosedError = Error & { readonly code: 'closed' };

export function storageClosedError(collectionName: string): StorageClosedError {
  return Object.assign(new Error(`storage instance of collection ${collectionName} is closed`), { code: 'closed' as const });
}

/** The `code` property of errors thrown by better-sqlite3 (`SqliteError`). */
function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Maps low-level SQLite failures that mean "this file cannot be read" to a
 * typed error; anything else is returned unchanged.
 * SQLITE_NOTADB is what SQLite3MultipleCiphers reports for a wrong key,
 * because a page that fails to decrypt looks like garbage.
 */
export function toStorageError(error: unknown, isEncrypted: boolean): unknown {
  if (error instanceof SQLiteStorageError) {
    return error;
  }
  const code = sqliteCodeOf(error);
  if (code === 'SQLITE_NOTADB') {
    return isEncrypted
      ? new SQLiteStorageError('wrong-key', 'database file could not be decrypted: wrong key, or the file is damaged', { cause: error })
      : new SQLiteStorageError('not-a-database', 'file is not an SQLite database (or it is encrypted and no key was given)', { cause: error });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB' || code === 'SQLITE_CORRUPT_INDEX' || code === 'SQLITE_CORRUPT_SEQUENCE') {
    return new SQLiteStorageError('corrupt', 'database file is corrupt or truncated', { cause: error });
  }
  return error;
}

/** Runs `fn`, rethrowing unreadable-file failures as typed errors. */
export function withStorageErrors<T>(isEncrypted: boolean, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStorageError(error, isEncrypted);
  }
}
