import type { StaffRole } from '../../core/fhirCodes';
import { SYSTEMS } from '../../core/fhirCodes';
import type { CentralSearch } from './centralSearch';

/**
 * "Sign in online" against the central record (issue #4). What the sandbox can honestly prove:
 * the Practitioner exists and is active, and has an active PractitionerRole with the role the
 * device knows the user by. The person is authenticated by their PIN (checked first, locally,
 * under the same back-off); a production deployment replaces this port with the regional
 * identity provider (NHS CIS2 via OIDC) and keeps the same call site.
 */
export type OnlineVerdict = 'active' | 'inactive' | 'role-changed';

export type OnlineAuthenticator = Readonly<{
  /** Throws CentralUnreachableError when the central record cannot be reached. */
  verify(practitionerId: string, role: StaffRole): Promise<OnlineVerdict>;
}>;

type PractitionerLike = Readonly<{ resourceType: string; id: string; active?: boolean }>;
type RoleLike = PractitionerLike & Readonly<{ code?: { coding?: { system?: string; code?: string }[] }[] }>;

export function createCentralAuthenticator(search: CentralSearch): OnlineAuthenticator {
  return {
    async verify(practitionerId, role) {
      const id = encodeURIComponent(practitionerId);
      const practitioners = (await search(`Practitioner?_id=${id}`)) as unknown as PractitionerLike[];
      const practitioner = practitioners.find((p) => p.resourceType === 'Practitioner' && p.id === practitionerId);
      if (!practitioner || practitioner.active === false) return 'inactive';
      const roles = (await search(`PractitionerRole?practitioner=Practitioner/${id}`)) as unknown as RoleLike[];
      const active = roles.filter((r) => r.resourceType === 'PractitionerRole' && r.active !== false);
      if (active.length === 0) return 'inactive';
      const hasRole = active.some((r) => r.code?.some((c) => c.coding?.some((k) => k.system === SYSTEMS.staffRole && k.code === role)));
      return hasRole ? 'active' : 'role-changed';
    },
  };
}
