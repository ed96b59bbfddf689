/**
 * Incident priority for display. The central record may send FHIR request-priority codes
 * (http://hl7.org/fhir/R4/valueset-request-priority.html); crews should read words, not codes.
 */
export type PriorityTone = 'red' | 'orange' | 'yellow' | 'grey';

const FHIR_PRIORITIES: Readonly<Record<string, Readonly<{ label: string; tone: PriorityTone }>>> = {
  stat: { label: 'Immediate', tone: 'red' },
  asap: { label: 'As soon as possible', tone: 'orange' },
  urgent: { label: 'Urgent', tone: 'yellow' },
  routine: { label: 'Routine', tone: 'grey' },
};

/** @example describePriority('stat') // { label: 'Immediate', tone: 'red' } */
export function describePriority(priority: string): Readonly<{ label: string; tone: PriorityTone }> {
  const known = FHIR_PRIORITIES[priority.trim().toLowerCase()];
  return known ?? { label: priority.trim() || 'Priority not set', tone: 'grey' };
}
