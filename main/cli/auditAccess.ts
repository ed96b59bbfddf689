import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { mayUseAuditTools } from '../../core/access';
import { AppError } from '../../core/errors';
import type { StaffRole } from '../../core/fhirCodes';
import { openUserDirectory } from '../identity/userDirectory';
import { KEY_FILE } from '../security/keyVault';

// The shape main/security/keyVault.ts writes when the Electron shell seals the key file with
// safeStorage (keyProtector.ts). keyVault does not say why a file is unreadable, so the command
// line recognises this one case itself, before asking for a PIN.
const sealedKeyFileSchema = z.object({ version: z.literal(2), sealedBy: z.string(), sealed: z.string() });

/**
 * Refuses, before any PIN is read, a key file sealed by the desktop app's OS key store: the
 * plain command line has no safeStorage, so no PIN could open it. Anything else (no file, a
 * plain or damaged file) is left to the key vault and its own messages.
 */
export function refuseSealedKeyFile(dataDir: string): void {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dataDir, KEY_FILE), 'utf8'));
  } catch {
    return;
  }
  const sealed = sealedKeyFileSchema.safeParse(raw);
  if (!sealed.success) return;
  // The backend name helps support ("electron-safeStorage:gnome_libsecret"); shown only when it looks like one.
  const backend = /^[\w.:-]{1,80}$/.test(sealed.data.sealedBy) ? ` (${sealed.data.sealedBy})` : '';
  throw new AppError(
    'wrong-key',
    `The key file in this data folder is sealed by the OnScene desktop app with the operating system's key store${backend}, ` +
      'which this command line cannot open. Run the audit tools from inside the installed OnScene, ' +
      'on the computer and user account where the desktop app sealed it. Nothing was changed.',
  );
}

const ROLE_PHRASE: Record<StaffRole, string> = {
  paramedic: 'a paramedic',
  'call-handler': 'a call handler',
  clinician: 'a clinician',
  administrator: 'an administrator',
};

const ONLY_IG = 'Only information governance staff and administrators can use the audit tools';

/**
 * The audit tools are for the trust's IG/IT role (core/access.ts mayUseAuditTools), as the
 * identity provider and the central record established it at the user's last online sign-in
 * (users.json). Called after the PIN has unlocked the key, so a user id's role cannot be probed
 * without its PIN, and before the database is opened, so a refused user reads nothing.
 * The message names the user id (not PHI) and role only.
 */
export function refuseUnlessAuditStaff(dataDir: string, userId: string): void {
  const known = openUserDirectory(dataDir).get(userId);
  if (!known) {
    throw new AppError(
      'forbidden',
      `${ONLY_IG}; ${userId} is not in this device's staff directory, so their role is not known here. ` +
        'Sign in to OnScene online on this device once, so the central record can confirm the role. The audit trail was not opened.',
    );
  }
  if (!mayUseAuditTools(known.summary.role)) {
    throw new AppError('forbidden', `${ONLY_IG}; ${userId} is signed up as ${ROLE_PHRASE[known.summary.role]}. The audit trail was not opened.`);
  }
}
