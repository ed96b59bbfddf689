import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EMPTY_SIGN_IN_RECORD, type SignInRecord } from '../../core/sessionRules';

/**
 * Per-user sign-in counters and the last online sign-in, beside the key file (they gate opening
 * the encrypted store, so they cannot live inside it). Fail closed: a missing or damaged file
 * means "never signed in online", so deleting it to reset the counters only forces everyone to
 * sign in online. Someone who can edit files can also copy keys.json and guess offline: that is
 * what argon2id and the OS key store (keyProtector.ts) are for, not this file.
 */
const recordSchema = z.object({
  failures: z.number().int().min(0),
  lastFailureAt: z.string().nullable(),
  lastOnlineAuthAt: z.string().nullable(),
  highWaterAt: z.string().nullable(),
});
const fileSchema = z.object({ version: z.literal(1), users: z.record(z.string(), recordSchema) });
type RecordsFile = z.infer<typeof fileSchema>;

export type SignInRecords = Readonly<{
  get(userId: string): SignInRecord;
  put(userId: string, record: SignInRecord): void;
  clear(): void;
}>;

export const SIGN_IN_FILE = 'signin.json';

export function openSignInRecords(dataDir: string): SignInRecords {
  const file = path.join(dataDir, SIGN_IN_FILE);
  const read = (): RecordsFile => {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : { version: 1, users: {} };
    } catch {
      return { version: 1, users: {} };
    }
  };
  return {
    get: (userId) => read().users[userId] ?? EMPTY_SIGN_IN_RECORD,
    put(userId, record) {
      const all = read();
      all.users[userId] = record;
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(all), { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    },
    clear: () => fs.rmSync(file, { force: true }),
  };
}
