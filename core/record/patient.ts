import type { Patient } from '@medplum/fhirtypes';
import { SYSTEMS } from '../fhirCodes';
import { addressText, conceptText, displayName } from '../fhirText';
import type { CommunicationView, PatientSummary } from '../views';
import { RECORD_SYSTEMS } from './codes';
import { type RecordContext, fhirTime, referenceDisplay, text } from './common';
import { otherIdentifiers } from './names';

/**
 * Who the patient is: the name in use now, the NHS number, other identifiers when there is none,
 * and whether they are recorded as deceased (deceasedBoolean or deceasedDateTime).
 */
export function patientSummary(patient: Patient, now: Date = new Date()): PatientSummary {
  const nhsNumber = patient.identifier?.find((i) => i.system === SYSTEMS.nhsNumber && i.value?.trim())?.value?.trim() ?? null;
  const deceasedAt = fhirTime(patient.deceasedDateTime);
  return {
    patientId: patient.id ?? '',
    nhsNumber,
    name: text(displayName(patient.name, now)) ?? 'Name not recorded',
    birthDate: fhirTime(patient.birthDate),
    gender: patient.gender ?? null,
    address: text(addressText(patient.address)),
    // A deceasedDateTime says they died even without the boolean; deceasedBoolean false says nothing more.
    isDeceased: patient.deceasedBoolean === true || deceasedAt !== null,
    deceasedAt,
    otherIdentifiers: otherIdentifiers(patient.identifier, now, SYSTEMS.nhsNumber)
      .slice(0, 10)
      .map((i) => ({ label: text(i.label) ?? 'Identifier', value: text(i.value, 200) ?? '' })),
  };
}

/** BCP 47 sign-language tags: "bfi" British Sign Language, "sgn" sign languages, "sgn-GB". */
const isSignLanguageTag = (code: string | undefined): boolean => /^(bfi|sgn)(-|$)/i.test(code ?? '');

/**
 * Languages and interpreter needs (Patient.communication, the HL7 interpreterRequired extension),
 * and the registered GP. A sign language is marked, so BSL reads as a need and not a preference.
 */
export function communicationView(patient: Patient, ctx?: RecordContext): CommunicationView {
  const languages = (patient.communication ?? []).flatMap((c) => {
    const label = text(conceptText(c.language));
    if (!label) return [];
    const isSignLanguage = Boolean(c.language.coding?.some((code) => code.system === RECORD_SYSTEMS.bcp47 && isSignLanguageTag(code.code))) || /sign language/i.test(label);
    return [{ text: label, isPreferred: c.preferred === true, isSignLanguage }];
  });
  const interpreter = patient.extension?.find((e) => e.url === RECORD_SYSTEMS.interpreterRequired)?.valueBoolean;
  const gp = (patient.generalPractitioner ?? []).map((ref) => (ctx ? referenceDisplay(ref, patient, ctx) : text(ref.display))).filter((g): g is string => g !== null);
  return { languages: languages.slice(0, 10), interpreterRequired: interpreter ?? null, registeredGp: text(gp.join(', ')) };
}
