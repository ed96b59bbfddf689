import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { openConnection } from '../../db/storage/connection';
import type { KeyProtector } from './keyProtector';
import { openKeyVault } from './keyVault';

/**
 * Data-key rotation (issue #4), for when a key may be exposed (a leaver who knew a PIN, a lost
 * backup of the key file). Run with the store closed, by a user who just signed in online:
 *
 * 1. a new random key is wrapped for that user into `keys.next.json` (so a crash after step 2
 *    never leaves a database nobody can open: recovery puts keys.next.json in place);
 * 2. the database is re-encrypted in place (`rekey`, after folding the WAL into the file);
 * 3. `keys.next.json` replaces `keys.json` atomically. Every other user's wrap is gone: each
 *    re-enrols at their next online sign-in (wrapping the new key needs their PIN, which only
 *    they know, and keeping the old wraps would keep the old key alive).
 */
export const NEXT_KEY_FILE = 'keys.next.json';

export async function rotateDataKey(dataDir: string, user: Readonly<{ userId: string; pin: string }>, protector: KeyProtector | null = null): Promise<void> {
  const vault = openKeyVault(dataDir, protector);
  const oldKey = await vault.unlock(user.userId, user.pin);
  if (!oldKey) throw new AppError('wrong-pin', 'That PIN is not right, so the key was not rotated.');
  const newKey = randomBytes(32);
  const staging = openKeyVault(path.join(dataDir, '.rotation'), protector);
  await staging.replaceKey(newKey, user);
  fs.renameSync(path.join(dataDir, '.rotation', 'keys.json'), path.join(dataDir, NEXT_KEY_FILE));
  fs.rmSync(path.join(dataDir, '.rotation'), { recursive: true, force: true });

  const connection = openConnection({ directory: dataDir, key: oldKey }, 'onscene');
  try {
    connection.db.pragma('wal_checkpoint(TRUNCATE)');
    connection.db.pragma('journal_mode = DELETE'); // rekey rewrites every page; do it outside WAL
    // The store keys SQLite with the hex text's bytes (openLocalStore → db.key(Buffer.from(hex))).
    connection.db.rekey(Buffer.from(newKey.toString('hex'), 'utf8'));
    connection.db.pragma('journal_mode = WAL');
  } finally {
    connection.db.close();
  }
  fs.renameSync(path.join(dataDir, NEXT_KEY_FILE), path.join(dataDir, 'keys.json'));
}
