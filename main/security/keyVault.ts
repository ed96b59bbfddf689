import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/errors';

/**
 * The local database's data key, wrapped once per enrolled user by a key derived from that
 * user's PIN, so any enrolled user can unlock offline and a wrong PIN cannot decrypt anything.
 * KDF: scrypt (N=2^15, r=8, p=1) for the skeleton; issue #4 moves this to argon2id.
 */
const KDF = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const wrapSchema = z.object({ salt: z.string(), iv: z.string(), tag: z.string(), wrapped: z.string() });
const vaultSchema = z.object({ version: z.literal(1), users: z.record(z.string(), wrapSchema) });
type Vault = z.infer<typeof vaultSchema>;

const scrypt = (secret: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(secret, salt, 32, KDF satisfies ScryptOptions, (error, key) => (error ? reject(error) : resolve(key))),
  );

async function wrap(dataKey: Buffer, pin: string) {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await scrypt(pin, salt), iv);
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), wrapped: wrapped.toString('base64') };
}

async function unwrap(entry: z.infer<typeof wrapSchema>, pin: string): Promise<Buffer | null> {
  const key = await scrypt(pin, Buffer.from(entry.salt, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(entry.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null; // GCM authentication failed: wrong PIN
  }
}

export type KeyVault = Readonly<{
  isEnrolled(userId: string): boolean;
  /** Enrols users with their PINs; creates the data key on first use. */
  enrol(users: readonly { userId: string; pin: string }[], unlockedDataKey?: Buffer): Promise<void>;
  /** The data key as hex, or null for a wrong PIN. */
  unlock(userId: string, pin: string): Promise<string | null>;
}>;

export function openKeyVault(dataDir: string): KeyVault {
  const file = path.join(dataDir, 'keys.json');
  const read = (): Vault => {
    if (!fs.existsSync(file)) return { version: 1, users: {} };
    const parsed = vaultSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new AppError('wrong-key', 'The key file is damaged. Re-enrol this device online.');
    return parsed.data;
  };
  const write = (vault: Vault) => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(vault), { mode: 0o600 });
    fs.renameSync(temp, file); // atomic: a crash never leaves half a key file
  };
  return {
    isEnrolled: (userId) => Object.hasOwn(read().users, userId),
    async enrol(users, unlockedDataKey) {
      const vault = read();
      if (Object.keys(vault.users).length > 0 && !unlockedDataKey) {
        throw new AppError('forbidden', 'Enrolling another user needs the device unlocked by an enrolled user.');
      }
      const dataKey = unlockedDataKey ?? randomBytes(32);
      for (const user of users) vault.users[user.userId] = await wrap(dataKey, user.pin);
      write(vault);
    },
    async unlock(userId, pin) {
      const entry = read().users[userId];
      if (!entry) return null;
      const key = await unwrap(entry, pin);
      return key ? key.toString('hex') : null;
    },
  };
}
