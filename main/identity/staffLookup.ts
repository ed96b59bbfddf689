import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { AppError } from '../../core/errors';
import { type StaffRole, STAFF_ROLES, SYSTEMS } from '../../core/fhirCodes';
import { referenceId } from '../../core/fhirText';
import { type FhirClient, FhirClientError } from '../../sync/fhirClient';
import { searchMatches } from '../../sync/fhirSearch';

/** Who the central record says a signed-in person is: their Practitioner and the OnScene role of an active PractitionerRole. */
export type StaffRecord = Readonly<{ practitionerId: string; displayName: string | null; role: StaffRole; organizationId: string | null }>;

const practitionerName = (p: Practitioner): string | null => {
  const name = p.name?.[0];
  if (!name) return null;
  return name.text ?? ([...(name.given ?? []), name.family].filter(Boolean).join(' ') || null);
};

const roleOf = (r: PractitionerRole): StaffRole | null => {
  const codes = new Set((r.code ?? []).flatMap((c) => (c.coding ?? []).filter((k) => k.system === SYSTEMS.staffRole).map((k) => k.code)));
  return STAFF_ROLES.find((role) => codes.has(role)) ?? null;
};

/**
 * Finds the Practitioner the identity provider's subject names (identifier sds-user-id = sub) and
 * an active PractitionerRole with an OnScene role. The identity provider proves who someone is;
 * the central record says what they may do here, so a person the IdP knows but the record does
 * not (or whose role has ended) is refused with a plain reason and is not enrolled.
 */
export async function lookUpStaff(client: FhirClient, subject: string): Promise<StaffRecord> {
  try {
    const query = `Practitioner?identifier=${encodeURIComponent(`${SYSTEMS.sdsUserId}|${subject}`)}`;
    const practitioners = (await searchMatches<Practitioner>(client, query, 'Practitioner', 1)).filter((p) =>
      p.identifier?.some((i) => i.system === SYSTEMS.sdsUserId && i.value === subject),
    );
    if (practitioners.length !== 1) {
      throw new AppError('forbidden', practitioners.length === 0
        ? 'The central record has no staff record for this account, so it cannot be used on OnScene. Contact your service desk.'
        : 'The central record holds more than one staff record for this account. Contact your service desk.');
    }
    const practitioner = practitioners[0] as Practitioner & { id: string };
    if (practitioner.active === false) throw new AppError('forbidden', 'The central record says this account is not active. Contact your service desk.');
    const roles = await searchMatches<PractitionerRole>(client, `PractitionerRole?practitioner=${encodeURIComponent(`Practitioner/${practitioner.id}`)}`, 'PractitionerRole', 2);
    const active = roles.filter((r) => r.active !== false && referenceId(r.practitioner, 'Practitioner') === practitioner.id);
    const withRole = active.map((r) => ({ r, role: roleOf(r) })).filter((x): x is { r: PractitionerRole; role: StaffRole } => x.role !== null);
    // Several roles: the first in STAFF_ROLES order (the role that sees least beyond the crew's own work comes later).
    withRole.sort((a, b) => STAFF_ROLES.indexOf(a.role) - STAFF_ROLES.indexOf(b.role));
    const chosen = withRole[0];
    if (!chosen) throw new AppError('forbidden', 'The central record lists no active OnScene role for this account. Contact your service desk.');
    return { practitionerId: practitioner.id, displayName: practitionerName(practitioner), role: chosen.role, organizationId: referenceId(chosen.r.organization, 'Organization') ?? null };
  } catch (error) {
    if (!(error instanceof FhirClientError)) throw error;
    if (error.reason === 'offline') throw new AppError('offline', 'The central record cannot be reached. Online sign-in needs signal; try again when you have it.', { cause: error });
    if (error.reason === 'auth') throw new AppError('forbidden', 'The central record refused the sign-in token. Sign in again; if it keeps happening, contact your service desk.', { cause: error });
    throw new AppError('server-error', 'The central record could not check this account just now. Try again in a moment.', { cause: error });
  }
}
