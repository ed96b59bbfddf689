/** Plain-text pieces of a patient's identity line, shared by the incident list and the record. */
import { type PatientSummary } from '../../contract';
import { formatNhsNumber } from '../../core/nhsNumber';
import { formatWhen } from './recordText';
import { formatAge, formatFhirDate, parseFhirDate, parseIsoMs } from './timeFormat';

/** When the patient died, as an instant for age arithmetic (a date-only value counts from its start). */
function deathMs(patient: PatientSummary): number | undefined {
  const at = patient.deceasedAt;
  if (!at) return undefined;
  const date = parseFhirDate(at);
  return date ? Date.UTC(date.year, date.month - 1, date.day) : parseIsoMs(at);
}

/**
 * "Born 15 Jun 1950 (74 years)"; for a patient recorded as deceased the age is at death
 * ("Born 2 Apr 1938, died aged 88"). Undefined when the birth date is unknown.
 */
export function describeBirth(patient: PatientSummary, nowMs: number): string | undefined {
  const born = formatFhirDate(patient.birthDate);
  if (!born) return undefined;
  if (patient.isDeceased) {
    const died = deathMs(patient);
    const ageAtDeath = died === undefined ? undefined : formatAge(patient.birthDate, died);
    return ageAtDeath ? `Born ${born}, died aged ${ageAtDeath}` : `Born ${born}, recorded as deceased`;
  }
  const age = formatAge(patient.birthDate, nowMs);
  return age ? `Born ${born} (${age})` : `Born ${born}`;
}

/** "Died 20 Nov 2026, 03:00, aged 88", or what is known; undefined when not recorded as deceased. */
export function deathText(patient: PatientSummary): string | undefined {
  if (!patient.isDeceased) return undefined;
  const when = formatWhen(patient.deceasedAt);
  const died = deathMs(patient);
  const age = died === undefined ? undefined : formatAge(patient.birthDate, died);
  if (!when) return 'Date of death not recorded';
  return age ? `Died ${when}, aged ${age}` : `Died ${when}`;
}

/** NHS number as 3-3-4, or a plain statement that it is not known. */
export function describeNhsNumber(patient: PatientSummary): string {
  if (patient.nhsNumber) return formatNhsNumber(patient.nhsNumber);
  return patient.otherIdentifiers?.length ? 'Not known (other identifiers in Patient details)' : 'Not known';
}
