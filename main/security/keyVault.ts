import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { ARGON2ID, LEGACY_SCRYPT, deriveKey, isCurrentKdf, kdfSpecSchema } from './kdf';
import type { KeyProtector } from './keyProtector';

/**
 * The local database's data key, wrapped once per enrolled user by a key derived from that
 * user's PIN (kdf.ts), so any enrolled user can unlock offline and a wrong PIN cannot decrypt
 * anything. AES-256-GCM with the user id as associated data, so a wrap moved to another user's
 * slot does not open. Where the shell has an OS key store (Electron safeStorage; the web shell's
 * Secret Service on Linux), the whole file is sealed by it too (keyProtector.ts).
 *
 * File versions: 1 = skeleton (scrypt, no associated data); 2 = a KDF spec per wrap. A wrap
 * whose spec is not today's ARGON2ID (version-1 scrypt wraps, argon2id wraps with earlier
 * parameters) is re-made with ARGON2ID at that user's next successful unlock; an unsealed file
 * opened with a protector is sealed at the next successful unlock too (the web shell gaining a key
 * store). A wrong PIN never changes the file.
 */
export const KEY_FILE = 'keys.json';

const wrapV1Schema = z.object({ salt: z.string(), iv: z.string(), tag: z.string(), wrapped: z.string() });
const wrapV2Schema = wrapV1Schema.extend({ kdf: kdfSpecSchema, aad: z.boolean() });
type Wrap = z.infer<typeof wrapV2Schema>;

const vaultV1Schema = z.object({ version: z.literal(1), users: z.record(z.string(), wrapV1Schema) });
const vaultV2Schema = z.object({ version: z.literal(2), keyId: z.string(), users: z.record(z.string(), wrapV2Schema) });
const sealedSchema = z.object({ version: z.literal(2), sealedBy: z.string(), sealed: z.string() });
type Vault = z.infer<typeof vaultV2Schema>;
type Read = Readonly<{ vault: Vault; isSealed: boolean }>;

const aadFor = (userId: string) => Buffer.from(`onscene-key-wrap:v2:${userId}`, 'utf8');

async function wrap(dataKey: Buffer, pin: string, userId: string): Promise<Wrap> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(pin, salt, ARGON2ID), iv);
  cipher.setAAD(aadFor(userId));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return { kdf: { ...ARGON2ID }, aad: true, salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), wrapped: b64(wrapped) };
}

async function unwrap(entry: Wrap, pin: string, userId: string): Promise<Buffer | null> {
  const key = await deriveKey(pin, Buffer.from(entry.salt, 'base64'), entry.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'));
  if (entry.aad) decipher.setAAD(aadFor(userId));
  decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(entry.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null; // GCM authentication failed: wrong PIN (or a wrap moved from another user)
  }
}

export type VaultStatus = 'ready' | 'missing' | 'unreadable';

export type KeyVault = Readonly<{
  status(): VaultStatus;
  isEnrolled(userId: string): boolean;
  enrolledUserIds(): string[];
  /** Enrols users with their PINs; creates the data key on first use. */
  enrol(users: readonly { userId: string; pin: string }[], unlockedDataKey?: Buffer): Promise<void>;
  /** The data key as hex, or null for a wrong PIN. Migrates a legacy wrap on success. */
  unlock(userId: string, pin: string): Promise<string | null>;
  /** Removes one user's wrap (left the service, or re-enrolling with a new PIN). */
  remove(userId: string): void;
  /** Rotation: a new data key wrapped for this one user; every other wrap is dropped (they re-enrol online). */
  replaceKey(newDataKey: Buffer, user: { userId: string; pin: string }): Promise<void>;
  /** Crypto-shred: overwrite and delete the key file. Without it the database is noise. */
  shred(): void;
}>;

function overwriteAndDelete(file: string) {
  if (!fs.existsSync(file)) return;
  // Best effort on SSDs (wear levelling may keep old blocks); the sealed/argon2id wraps are the real defence.
  fs.writeFileSync(file, randomBytes(Math.max(64, fs.statSync(file).size)));
  fs.rmSync(file, { force: true });
}

const sameWrap = (a: Wrap | undefined, b: Wrap) => a !== undefined && a.salt === b.salt && a.wrapped === b.wrapped;

/** Best effort: asks the key store to drop the secret a sealed file needs (keyProtector.ts `forget`). */
function forgetSeal(file: string, protector: KeyProtector | null) {
  if (!protector?.forget || !fs.existsSync(file)) return;
  try {
    const sealed = sealedSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (sealed.success) protector.forget(Buffer.from(sealed.data.sealed, 'base64'));
  } catch {
    // A damaged file or an unreachable store: deleting the file below is still the shred.
  }
}

export function openKeyVault(dataDir: string, protector: KeyProtector | null = null): KeyVault {
  const file = path.join(dataDir, KEY_FILE);
  const unreadable = (cause?: unknown) =>
    new AppError('wrong-key', 'The key file on this device cannot be read. Sign in online to re-enrol this device.', { cause });

  function decode(raw: unknown): Vault {
    const v2 = vaultV2Schema.safeParse(raw);
    if (v2.success) return v2.data;
    const v1 = vaultV1Schema.safeParse(raw);
    if (!v1.success) throw unreadable();
    const users: Vault['users'] = {};
    for (const [userId, entry] of Object.entries(v1.data.users)) users[userId] = { ...entry, kdf: { ...LEGACY_SCRYPT }, aad: false };
    return { version: 2, keyId: 'legacy', users };
  }

  const readFile = (): Read => {
    if (!fs.existsSync(file)) return { vault: { version: 2, keyId: randomBytes(8).toString('hex'), users: {} }, isSealed: false };
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw unreadable(error);
    }
    const sealed = sealedSchema.safeParse(raw);
    if (!sealed.success) return { vault: decode(raw), isSealed: false };
    if (!protector) throw unreadable(new Error(`sealed by ${sealed.data.sealedBy}; this shell has no key store`));
    try {
      return { vault: decode(JSON.parse(protector.unseal(Buffer.from(sealed.data.sealed, 'base64')).toString('utf8'))), isSealed: true };
    } catch (error) {
      // The OS key store lost its secret (new profile, reset keyring), or another shell's store
      // sealed it (Electron's safeStorage vs the web shell's Secret Service): the recovery path.
      if (error instanceof AppError) throw error;
      throw unreadable(new Error(`sealed by ${sealed.data.sealedBy}; ${protector.kind} could not open it`, { cause: error }));
    }
  };
  const read = (): Vault => readFile().vault;
  const write = (vault: Vault) => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const body = protector
      ? { version: 2, sealedBy: protector.kind, sealed: protector.seal(Buffer.from(JSON.stringify(vault))).toString('base64') }
      : vault;
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(body), { mode: 0o600 });
    fs.renameSync(temp, file); // atomic: a crash never leaves half a key file
  };

  return {
    status() {
      if (!fs.existsSync(file)) return 'missing';
      try {
        read();
        return 'ready';
      } catch {
        return 'unreadable';
      }
    },
    isEnrolled: (userId) => Object.hasOwn(read().users, userId),
    enrolledUserIds: () => Object.keys(read().users),
    async enrol(users, unlockedDataKey) {
      const vault = read();
      if (Object.keys(vault.users).length > 0 && !unlockedDataKey) {
        throw new AppError('forbidden', 'Enrolling another user needs the device unlocked by an enrolled user.');
      }
      const dataKey = unlockedDataKey ?? randomBytes(32);
      for (const user of users) vault.users[user.userId] = await wrap(dataKey, user.pin, user.userId);
      write(vault);
    },
    async unlock(userId, pin) {
      const { vault, isSealed } = readFile();
      const entry = vault.users[userId];
      if (!entry) return null;
      const key = await unwrap(entry, pin, userId);
      if (!key) return null;
      const needsRewrap = !isCurrentKdf(entry.kdf) || !entry.aad;
      if (needsRewrap || (protector && !isSealed)) {
        const next = needsRewrap ? await wrap(key, pin, userId) : entry;
        // Read again: the file may have changed during the derivations (an enrolment, a removal).
        const latest = read();
        if (sameWrap(latest.users[userId], entry)) {
          latest.users[userId] = next;
          write(latest);
        }
      }
      return key.toString('hex');
    },
    remove(userId) {
      const vault = read();
      delete vault.users[userId];
      write(vault);
    },
    async replaceKey(newDataKey, user) {
      write({ version: 2, keyId: randomBytes(8).toString('hex'), users: { [user.userId]: await wrap(newDataKey, user.pin, user.userId) } });
    },
    shred: () => {
      forgetSeal(file, protector);
      overwriteAndDelete(file);
      overwriteAndDelete(`${file}.tmp`);
    },
  };
}
