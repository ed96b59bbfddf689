/** Plain-text pieces of a patient's identity line, shared by the incident list and the record. */
import { type PatientSummary } from '../../contract';
import { formatNhsNumber } from '../../core/nhsNumber';
import { formatAge, formatFhirDate } from './timeFormat';

/** "Born 15 Jun 1950 (74 years)", or undefined when the birth date is unknown. */
export function describeBirth(patient: PatientSummary, nowMs: number): string | undefined {
  const born = formatFhirDate(patient.birthDate);
  if (!born) return undefined;
  const age = formatAge(patient.birthDate, nowMs);
  return age ? `Born ${born} (${age})` : `Born ${born}`;
}

/** NHS number as 3-3-4, or a plain statement that it is not known. */
export function describeNhsNumber(patient: PatientSummary): string {
  return patient.nhsNumber ? formatNhsNumber(patient.nhsNumber) : 'Not known';
}
