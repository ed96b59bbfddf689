import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DeviceStatusView } from '../../contract/securityViews';
import { KEY_FILE, type KeyVault } from './keyVault';
import { SIGN_IN_FILE } from './signInRecords';

/**
 * The device's lifecycle outside the encrypted store (issue #4): fresh, ready, wiped by the
 * central record, or needing recovery because its key file is lost or unreadable.
 *
 * Recovery never deletes: the encrypted database and whatever key file there was are moved,
 * intact, to `recovery/<time>/`, so if the key comes back (a restored OS keyring, a backup of
 * keys.json) the unsynced work in them can still be read and uploaded. Then the device is
 * re-enrolled online and re-synced into a new database.
 */
export const WIPE_MARKER = 'wiped.json';
export const RECOVERY_DIR = 'recovery';
const DATABASE_PREFIX = 'onscene.sqlite';

const markerSchema = z.object({ wipedAt: z.string(), auditUploaded: z.number(), auditUnsent: z.number() });
export type WipeMarker = z.infer<typeof markerSchema>;

const databaseFiles = (dataDir: string): string[] =>
  fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => f.startsWith(DATABASE_PREFIX)) : [];

export function readWipeMarker(dataDir: string): WipeMarker | null {
  try {
    const parsed = markerSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, WIPE_MARKER), 'utf8')));
    // A damaged marker still means "wiped": fail closed.
    return parsed.success ? parsed.data : { wipedAt: new Date(0).toISOString(), auditUploaded: 0, auditUnsent: 0 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { wipedAt: new Date(0).toISOString(), auditUploaded: 0, auditUnsent: 0 };
  }
}

function keptFileCount(dataDir: string): number {
  const root = path.join(dataDir, RECOVERY_DIR);
  if (!fs.existsSync(root)) return 0;
  return fs.readdirSync(root).reduce((sum, dir) => sum + fs.readdirSync(path.join(root, dir)).length, 0);
}

export function readDeviceStatus(dataDir: string, vault: KeyVault): DeviceStatusView {
  const keptFiles = keptFileCount(dataDir);
  const marker = readWipeMarker(dataDir);
  if (marker) {
    const message = `This device was wiped on the central record's instruction (${marker.wipedAt.slice(0, 16).replace('T', ' ')} UTC). Its data and keys are gone. Sign in online to set it up again.`;
    return { state: 'wiped', message, wipedAt: marker.wipedAt, keptFiles };
  }
  const vaultStatus = vault.status();
  if (vaultStatus === 'ready') return { state: 'ready', message: '', wipedAt: null, keptFiles };
  if (vaultStatus === 'missing' && databaseFiles(dataDir).length === 0) return { state: 'not-enrolled', message: 'This device is not enrolled yet. Sign in online (you need signal) to enrol it: the central record confirms who you are.', wipedAt: null, keptFiles };
  return {
    state: 'needs-recovery',
    message: 'The encryption key on this device is missing or unreadable, so the local records cannot be opened. Sign in online to set the device up again; the unreadable files are kept aside, not deleted.',
    wipedAt: null,
    keptFiles,
  };
}

/** Moves the database files and any key file aside (never deletes); returns the folder used. */
export function setAsideForRecovery(dataDir: string, now: Date): string {
  const target = path.join(dataDir, RECOVERY_DIR, now.toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  // keys.next.json: a rotation interrupted after re-encrypting holds the key that opens these files.
  for (const file of [...databaseFiles(dataDir), KEY_FILE, 'keys.next.json']) {
    const from = path.join(dataDir, file);
    if (fs.existsSync(from)) fs.renameSync(from, path.join(target, file));
  }
  fs.writeFileSync(
    path.join(target, 'README.txt'),
    'OnScene set these encrypted files aside because their key could not be read. They may hold work not yet uploaded.\n' +
      'Do not delete them. If the key file or the system keyring is restored, put keys.json and the onscene.sqlite files back\n' +
      'in the data folder (after moving the new ones aside) and sign in: the unsynced work will upload.\n',
  );
  fs.rmSync(path.join(dataDir, SIGN_IN_FILE), { force: true });
  return target;
}

/** Crypto-shred: the key wraps first (without them the database is noise), then the database files and counters. */
export function shredLocalData(dataDir: string, vault: KeyVault, marker: WipeMarker): void {
  vault.shred();
  for (const file of databaseFiles(dataDir)) {
    const full = path.join(dataDir, file);
    // Overwrite the first pages (the header and salt of SQLite3MultipleCiphers) before unlinking.
    const fd = fs.openSync(full, 'r+');
    try {
      fs.writeSync(fd, randomBytes(Math.min(fs.fstatSync(fd).size, 64 * 1024)), 0, undefined, 0);
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(full, { force: true });
  }
  fs.rmSync(path.join(dataDir, SIGN_IN_FILE), { force: true });
  fs.writeFileSync(path.join(dataDir, WIPE_MARKER), JSON.stringify(marker), { mode: 0o600 });
}

/** A successful online set-up after a wipe clears the notice. */
export const clearWipeMarker = (dataDir: string): void => fs.rmSync(path.join(dataDir, WIPE_MARKER), { force: true });
