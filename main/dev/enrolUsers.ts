import { EMPTY_SIGN_IN_RECORD, recordSuccess } from '../../core/sessionRules';
import type { StaffRole } from '../../core/fhirCodes';
import { openUserDirectory } from '../identity/userDirectory';
import type { KeyProtector } from '../security/keyProtector';
import { openKeyVault } from '../security/keyVault';
import { openSignInRecords } from '../security/signInRecords';

export type UserToEnrol = Readonly<{ userId: string; pin: string; displayName: string; role: StaffRole; vehicle: string | null; practitionerId: string | null }>;

/**
 * Test and development set-up only: enrols users on a data folder as if each had just signed in
 * online (key wrap, directory entry, re-auth clock), before the app starts. The app itself enrols
 * only through the identity provider (main/services/sessionSecurity.ts completeOnline).
 */
export async function enrolUsersDirectly(dataDir: string, users: readonly UserToEnrol[], at: Date = new Date(), protector: KeyProtector | null = null): Promise<void> {
  const vault = openKeyVault(dataDir, protector);
  await vault.enrol(users.map(({ userId, pin }) => ({ userId, pin })));
  const directory = openUserDirectory(dataDir);
  const records = openSignInRecords(dataDir);
  for (const u of users) {
    directory.put({ summary: { userId: u.userId, displayName: u.displayName, role: u.role, vehicle: u.vehicle }, practitionerId: u.practitionerId, organizationId: null, verifiedAt: at.toISOString() });
    records.put(u.userId, recordSuccess(EMPTY_SIGN_IN_RECORD, at, 'online'));
  }
}
