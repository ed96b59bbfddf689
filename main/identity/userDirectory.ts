import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { STAFF_ROLES } from '../../core/fhirCodes';
import type { UserSummary } from '../../core/views';

/**
 * The staff this device knows: written when the identity provider and the central record
 * (Practitioner + PractitionerRole) establish who someone is at their online sign-in, refreshed
 * at each one, and read for offline sign-in. Never a list in code (DESIGN §8). It holds staff
 * names and roles only, no patient data; the key wraps that actually grant access are in keys.json.
 */
export type KnownUser = Readonly<{
  summary: UserSummary;
  /** FHIR Practitioner id on the central record. */
  practitionerId: string | null;
  /** The Organization of the PractitionerRole the user signed in under. */
  organizationId: string | null;
  /** When the identity provider last authenticated them (their last online sign-in). */
  verifiedAt: string;
}>;

export const USERS_FILE = 'users.json';

const knownUserSchema = z.object({
  summary: z.object({ userId: z.string().min(1).max(64), displayName: z.string().max(200), role: z.enum(STAFF_ROLES), vehicle: z.string().max(40).nullable() }),
  practitionerId: z.string().max(64).nullable(),
  organizationId: z.string().max(64).nullable(),
  verifiedAt: z.string().max(40),
});
const fileSchema = z.object({ version: z.literal(1), users: z.record(z.string(), knownUserSchema) });

export type UserDirectory = Readonly<{
  get(userId: string): KnownUser | null;
  list(): KnownUser[];
  put(user: KnownUser): void;
  remove(userId: string): void;
  /** Wipe and recovery: the directory goes with the keys. */
  clear(): void;
}>;

/** Opens the directory in `dataDir`; an unreadable file reads as empty (users then sign in online again). */
export function openUserDirectory(dataDir: string): UserDirectory {
  const file = path.join(dataDir, USERS_FILE);
  const read = (): Record<string, KnownUser> => {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data.users : {};
    } catch {
      return {};
    }
  };
  const write = (users: Record<string, KnownUser>) => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ version: 1, users }, null, 2), { mode: 0o600 });
    fs.renameSync(temp, file); // atomic: a crash leaves the old directory or the new one
  };
  return {
    get(userId) {
      const users = read(); // one read: the file may change between two
      return Object.hasOwn(users, userId) ? (users[userId] ?? null) : null;
    },
    list: () => Object.values(read()).sort((a, b) => a.summary.displayName.localeCompare(b.summary.displayName)),
    put(user) {
      write({ ...read(), [user.summary.userId]: user });
    },
    remove(userId) {
      const users = read();
      delete users[userId];
      write(users);
    },
    clear: () => fs.rmSync(file, { force: true }),
  };
}
