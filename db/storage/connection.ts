import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { SQLiteStorageError, toStorageError } from './errors.ts';
import { StatementCache, type SQLiteDatabase } from './sqlHelpers.ts';

export type SQLiteStorageSettings = Readonly<{
  /** Folder holding one `${databaseName}.sqlite` file per RxDB database, or ':memory:'. */
  directory: string;
  /** Passphrase; when set, the file is encrypted (SQLite3MultipleCiphers). */
  key?: string;
  /**
   * Cipher name for SQLite3MultipleCiphers; default 'aegis' (AEGIS-256: authenticated, so a tampered
   * page fails instead of decrypting to altered rows, and ~1.1x plain cost where chacha20 costs ~1.8x;
   * see README.md "Cipher choice" for the figures).
   */
  cipher?: string;
  /** Milliseconds to wait for another connection's write lock; default 5000. */
  busyTimeoutMs?: number;
  /**
   * Page cache per connection in KiB (default: SQLite's 2 MiB). Encrypted pages are decrypted on
   * every cache miss, so a cache that holds the working set is what keeps warm queries cheap.
   */
  cacheSizeKiB?: number;
}>;

/** Ciphers SQLite3MultipleCiphers ships; checked because a pragma cannot bind parameters. */
export const DEFAULT_CIPHER = 'aegis';
const KNOWN_CIPHERS = new Set(['chacha20', 'sqlcipher', 'aes128cbc', 'aes256cbc', 'rc4', 'ascon128', 'aegis']);
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

/** One open file shared by all storage instances (collections) of one RxDB database. */
export type SharedConnection = {
  readonly db: SQLiteDatabase;
  readonly statements: StatementCache;
  readonly isEncrypted: boolean;
  readonly filePath: string;
  refCount: number;
};

export function databaseFilePath(settings: SQLiteStorageSettings, databaseName: string): string {
  if (settings.directory === ':memory:') {
    return ':memory:';
  }
  if (databaseName.length === 0 || /[/\\\u0000]/.test(databaseName) || databaseName === '.' || databaseName === '..') {
    throw new SQLiteStorageError('invalid-argument', 'database name must be a plain file name');
  }
  return path.join(settings.directory, `${databaseName}.sqlite`);
}

function applyKey(db: SQLiteDatabase, settings: SQLiteStorageSettings): void {
  if (settings.key === undefined) {
    return;
  }
  if (settings.key.length === 0) {
    throw new SQLiteStorageError('invalid-argument', 'encryption key must not be empty');
  }
  const cipher = settings.cipher ?? DEFAULT_CIPHER;
  if (!KNOWN_CIPHERS.has(cipher)) {
    throw new SQLiteStorageError('invalid-argument', 'unknown cipher');
  }
  db.pragma(`cipher='${cipher}'`);
  // db.key() passes the bytes directly, so the passphrase never appears in SQL text.
  db.key(Buffer.from(settings.key, 'utf8'));
}

function startsWithPlainHeader(filePath: string): boolean {
  if (filePath === ':memory:' || !fs.existsSync(filePath)) {
    return false;
  }
  const fd = fs.openSync(filePath, 'r');
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = fs.readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Cheap truncation check: without a WAL holding newer pages, the file must
 * be at least as long as the page count its header claims. A full
 * integrity_check would read every page, too slow on every open.
 */
function checkNotTruncated(db: SQLiteDatabase, filePath: string): void {
  if (filePath === ':memory:') {
    return;
  }
  const walPath = `${filePath}-wal`;
  if (fs.existsSync(walPath) && fs.statSync(walPath).size > 0) {
    return;
  }
  const pageCount = Number(db.pragma('page_count', { simple: true }));
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  if (fs.statSync(filePath).size < pageCount * pageSize) {
    throw new SQLiteStorageError('corrupt', 'database file is truncated');
  }
}

function configure(db: SQLiteDatabase, settings: SQLiteStorageSettings, filePath: string): void {
  applyKey(db, settings);
  // Reading sqlite_master right after keying is what detects a wrong key:
  // SQLite only decrypts page 1 when it is first needed.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  checkNotTruncated(db, filePath);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(settings.busyTimeoutMs ?? 5000))}`);
  if (settings.cacheSizeKiB !== undefined) {
    // A negative cache_size is in KiB rather than pages.
    db.pragma(`cache_size = ${-Math.max(1, Math.floor(settings.cacheSizeKiB))}`);
  }
  // Sorts and temp indexes of an encrypted database stay in memory: SQLite3MultipleCiphers does
  // not encrypt temporary files (issue #4: no plaintext in any temp file).
  if (settings.key !== undefined) db.pragma('temp_store = MEMORY');
  if (filePath !== ':memory:') {
    // WAL lets the audit writer and other readers work beside us without exclusive locks.
    db.pragma('journal_mode = WAL');
    // FULL: a committed bulkWrite survives power loss, not only a process crash.
    db.pragma('synchronous = FULL');
  }
}

/** Opens and verifies one database file; throws SQLiteStorageError when it cannot be read. */
export function openConnection(settings: SQLiteStorageSettings, databaseName: string): SharedConnection {
  const filePath = databaseFilePath(settings, databaseName);
  const isEncrypted = settings.key !== undefined;
  if (filePath !== ':memory:') {
    fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it: SQLite gives its -wal and -shm files the database
    // file's permissions, so all three stay 0600 whatever the umask (issue #10).
    if (!fs.existsSync(filePath)) fs.closeSync(fs.openSync(filePath, 'a', 0o600));
  }
  if (isEncrypted && startsWithPlainHeader(filePath)) {
    throw new SQLiteStorageError('wrong-key', 'a key was given but the database file is not encrypted');
  }
  let db: SQLiteDatabase | undefined;
  try {
    db = new Database(filePath);
    configure(db, settings, filePath);
  } catch (error) {
    db?.close();
    throw toStorageError(error, isEncrypted);
  }
  return { db, statements: new StatementCache(db), isEncrypted, filePath, refCount: 0 };
}

/**
 * Shares one connection per database file between the collections of a
 * storage object: SQLite connections are cheap to share within one thread,
 * and it keeps ':memory:' databases visible to all their collections.
 */
export class ConnectionPool {
  private readonly connections = new Map<string, SharedConnection>();

  constructor(private readonly settings: SQLiteStorageSettings) {}

  acquire(databaseName: string): SharedConnection {
    let connection = this.connections.get(databaseName);
    if (connection === undefined) {
      connection = openConnection(this.settings, databaseName);
      this.connections.set(databaseName, connection);
    }
    connection.refCount += 1;
    return connection;
  }

  release(databaseName: string, connection: SharedConnection): void {
    connection.refCount -= 1;
    if (connection.refCount > 0 || this.connections.get(databaseName) !== connection) {
      return;
    }
    this.connections.delete(databaseName);
    connection.statements.clear();
    if (connection.db.open) {
      connection.db.close();
    }
  }
}
