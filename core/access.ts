import type { StaffRole } from './fhirCodes';

export type AccessSubject = Readonly<{
  role: StaffRole;
  /** incidentId → patientId for the incidents assigned to the user's vehicle. */
  assignedIncidents: ReadonlyMap<string, string>;
}>;

export type AccessDecision =
  | Readonly<{ allowed: true; purpose: string }>
  | Readonly<{ allowed: false; reason: 'not-assigned' | 'no-patient-access' }>;

/**
 * DESIGN §6: a paramedic opens a patient through an incident assigned to them; administrators
 * see no patient data. Call handlers' and clinicians' rules and break-glass arrive with issue #4.
 */
export function decideRecordAccess(subject: AccessSubject, patientId: string, incidentId: string): AccessDecision {
  if (subject.role === 'administrator') return { allowed: false, reason: 'no-patient-access' };
  if (subject.role === 'paramedic' && subject.assignedIncidents.get(incidentId) !== patientId) {
    return { allowed: false, reason: 'not-assigned' };
  }
  return { allowed: true, purpose: `incident ${incidentId}` };
}
