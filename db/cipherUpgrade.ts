import { LATEST_SCHEMA_VERSION, NewerDatabaseError, readSchemaVersion } from './migrations/index';
import { DEFAULT_CIPHER, type SQLiteStorageSettings, type SharedConnection, openConnection } from './storage/connection';
import { SQLiteStorageError } from './storage/errors';

/**
 * Ciphers that authenticate every page (with their default parameters). Only these may take part:
 * after a crash the file has a hot journal under the old cipher, and every cipher tried on it
 * before the right one must fail its tag check rather than "decrypt" the journal into garbage
 * and play that back into the file. aes128cbc, aes256cbc and rc4 have no such check.
 */
const AUTHENTICATED_CIPHERS = new Set(['aegis', 'chacha20', 'sqlcipher', 'ascon128']);

export type CipherUpgradeResult = Readonly<{
  connection: SharedConnection;
  /** The cipher the file was re-encrypted from, or null when it already used the current one. */
  upgradedFrom: string | null;
}>;

const isWrongKey = (error: unknown): boolean => error instanceof SQLiteStorageError && error.code === 'wrong-key';

/** Opens with `cipher`, or null when the file does not decrypt with it. */
function tryOpen(settings: SQLiteStorageSettings, name: string, cipher: string): SharedConnection | null {
  try {
    return openConnection({ ...settings, cipher }, name);
  } catch (error) {
    if (isWrongKey(error)) return null;
    throw error;
  }
}

/**
 * Re-encrypts an open file in place from its cipher to `cipher`, then closes the connection.
 *
 * SQLite3MultipleCiphers (2.3.x, as bundled) refuses rekey in WAL mode, so the WAL is folded
 * into the file and the journal switched to DELETE first. rekey then rewrites every page in one
 * transaction whose rollback journal keeps the original pages under the OLD cipher (the codec's
 * "read key"). A crash part-way leaves that hot journal: opening with the current cipher fails
 * its authentication tag on the journal and writes nothing, the legacy cipher then opens, rolls
 * the journal back to the whole old file, and the upgrade starts again (cipherUpgrade.test.ts).
 */
function reencrypt(connection: SharedConnection, key: string, cipher: string): void {
  const { db } = connection;
  try {
    // A file from a newer build is refused before anything is written to it (db/migrations).
    const version = readSchemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) throw new NewerDatabaseError(version, LATEST_SCHEMA_VERSION);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const mode = String(db.pragma('journal_mode = DELETE', { simple: true }));
    // Still WAL when another connection has the file open: rekey would refuse, say so plainly.
    if (mode !== 'delete') throw new SQLiteStorageError('invalid-argument', 'the database is open elsewhere; close it to change its cipher');
    db.pragma(`cipher='${cipher}'`);
    // db.rekey() passes the bytes directly, so the passphrase never appears in SQL text.
    db.rekey(Buffer.from(key, 'utf8'));
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

/**
 * Opens a database file with the current cipher (settings.cipher, default 'aegis'). When the
 * key does not open it, tries each legacy cipher with the same key; if one opens, the file is
 * re-encrypted in place to the current cipher and reopened, so every later connection (RxDB's
 * among them) opens it the ordinary way. A wrong key fails as before, with 'wrong-key'.
 */
export function openConnectionUpgradingCipher(
  settings: SQLiteStorageSettings,
  name: string,
  legacyCiphers: readonly string[] = [],
): CipherUpgradeResult {
  const current = settings.cipher ?? DEFAULT_CIPHER;
  try {
    return { connection: openConnection(settings, name), upgradedFrom: null };
  } catch (error) {
    if (!isWrongKey(error) || settings.key === undefined || legacyCiphers.length === 0) throw error;
    if (![current, ...legacyCiphers].every((cipher) => AUTHENTICATED_CIPHERS.has(cipher))) {
      throw new SQLiteStorageError('invalid-argument', 'a cipher upgrade needs authenticated ciphers (aegis, chacha20, sqlcipher, ascon128)');
    }
    for (const cipher of legacyCiphers) {
      if (cipher === current) continue;
      const legacy = tryOpen(settings, name, cipher);
      if (legacy === null) continue;
      reencrypt(legacy, settings.key, current);
      return { connection: openConnection(settings, name), upgradedFrom: cipher };
    }
    throw error;
  }
}
