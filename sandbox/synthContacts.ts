import type { CareTeam, RelatedPerson } from '@medplum/fhirtypes';
import { ORGANIZATIONS, reference, type StaffMember } from './synthPeople';
import { isoDateDaysAgo } from './synthTime';

/**
 * Issue #11: the people to contact at the scene. Telephone numbers are from Ofcom's range for
 * drama (07700 900000 to 900999), never a real line.
 */
const ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

export type ContactSpec = Readonly<{
  id: string;
  patientId: string;
  given: string;
  family: string;
  /** v3 RoleCode, e.g. DAU daughter, SON, WIFE, HUSB, FRND. */
  role: string;
  roleText: string;
  phoneSuffix: number;
  isNextOfKin: boolean;
}>;

export const dramaPhone = (suffix: number): string => `07700 900${String(suffix % 1000).padStart(3, '0')}`;

export function buildRelatedPerson(spec: ContactSpec): RelatedPerson {
  const relationship = [{ coding: [{ system: ROLE_SYSTEM, code: spec.role, display: spec.roleText }], text: spec.roleText }];
  if (spec.isNextOfKin) relationship.push({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', display: 'Next-of-Kin' }], text: 'Next of kin' });
  return {
    resourceType: 'RelatedPerson',
    id: spec.id,
    active: true,
    patient: reference('Patient', spec.patientId),
    relationship,
    name: [{ use: 'usual', family: spec.family, given: [spec.given] }],
    telecom: [{ system: 'phone', value: dramaPhone(spec.phoneSuffix), use: 'mobile' }],
  };
}

export type CareTeamSpec = Readonly<{
  id: string;
  patientId: string;
  name: string;
  organisation: keyof typeof ORGANIZATIONS;
  members: readonly StaffMember[];
  phoneSuffix: number;
  sinceDaysAgo: number;
}>;

export function buildCareTeam(spec: CareTeamSpec): CareTeam {
  const org = ORGANIZATIONS[spec.organisation];
  return {
    resourceType: 'CareTeam',
    id: spec.id,
    status: 'active',
    name: spec.name,
    subject: reference('Patient', spec.patientId),
    period: { start: isoDateDaysAgo(spec.sinceDaysAgo) },
    participant: spec.members.map((m) => ({ member: reference('Practitioner', m.id, m.display), onBehalfOf: reference('Organization', org.id, org.name) })),
    managingOrganization: [reference('Organization', org.id, org.name)],
    telecom: [{ system: 'phone', value: dramaPhone(spec.phoneSuffix), use: 'work' }],
  };
}
