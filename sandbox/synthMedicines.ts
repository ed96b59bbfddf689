import type { Dosage, Medication, MedicationRequest } from '@medplum/fhirtypes';
import { SYSTEMS } from '../core/fhirCodes';
import { reference, type StaffMember } from './synthPeople';
import { isoDateDaysAgo } from './synthTime';

/**
 * Issue #11: medicines as real central records send them. GP systems send prescriptions as
 * MedicationRequest, naming the medicine by a code, by a Medication resource of the record's own
 * (`medicationReference`), or by one contained in the request (`#id`). The catalogue carries text
 * only (no dm+d codes are invented here); a code may be given per request.
 */
export type MedicineSpec = Readonly<{ text: string; snomed?: string; form?: string }>;

/** Medications the record holds as resources of their own, referenced by many prescriptions. */
export const MEDICATION_CATALOGUE = {
  adrenalineAutoInjector: { id: 'medication-adrenaline-300-autoinjector', text: 'Adrenaline (epinephrine) 300micrograms/0.3ml auto-injector', form: 'Solution for injection' },
  buccalMidazolam: { id: 'medication-midazolam-buccal-10mg', text: 'Midazolam 10mg/2ml oromucosal solution pre-filled oral syringes', form: 'Oromucosal solution' },
  glucagon: { id: 'medication-glucagon-1mg', text: 'Glucagon 1mg powder and solvent for solution for injection kit', form: 'Powder and solvent for solution for injection' },
} as const;

export type CatalogueKey = keyof typeof MEDICATION_CATALOGUE;

function medicationResource(id: string, spec: MedicineSpec): Medication {
  const coding = spec.snomed ? [{ system: SYSTEMS.snomed, code: spec.snomed, display: spec.text }] : undefined;
  return {
    resourceType: 'Medication',
    id,
    code: coding ? { coding, text: spec.text } : { text: spec.text },
    status: 'active',
    ...(spec.form ? { form: { text: spec.form } } : {}),
  };
}

/** The shared Medication resources (not linked to any patient). */
export function buildMedicationCatalogue(): Medication[] {
  return Object.values(MEDICATION_CATALOGUE).map((m) => medicationResource(m.id, m));
}

/** How the request names its medicine. */
export type MedicineBy =
  | Readonly<{ kind: 'code'; medicine: MedicineSpec }>
  | Readonly<{ kind: 'reference'; catalogue: CatalogueKey }>
  | Readonly<{ kind: 'contained'; medicine: MedicineSpec }>;

export type PrescriptionSpec = Readonly<{
  id: string;
  patientId: string;
  by: MedicineBy;
  dosage: string;
  status: 'active' | 'stopped' | 'completed' | 'on-hold' | 'entered-in-error';
  authoredDaysAgo: number;
  prescriber: StaffMember;
  /** Days ago the supply ended (stopped or completed prescriptions). */
  endedDaysAgo?: number;
  asNeeded?: boolean;
}>;

export function buildPrescription(spec: PrescriptionSpec): MedicationRequest {
  const dosage: Dosage = { text: spec.dosage, ...(spec.asNeeded ? { asNeededBoolean: true } : {}) };
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: spec.id,
    status: spec.status,
    intent: 'order',
    subject: reference('Patient', spec.patientId),
    authoredOn: isoDateDaysAgo(spec.authoredDaysAgo),
    requester: reference('Practitioner', spec.prescriber.id, spec.prescriber.display),
    dosageInstruction: [dosage],
  };
  if (spec.endedDaysAgo !== undefined) {
    request.dispenseRequest = { validityPeriod: { start: isoDateDaysAgo(spec.authoredDaysAgo), end: isoDateDaysAgo(spec.endedDaysAgo) } };
  }
  const { by } = spec;
  if (by.kind === 'code') {
    request.medicationCodeableConcept = by.medicine.snomed
      ? { coding: [{ system: SYSTEMS.snomed, code: by.medicine.snomed, display: by.medicine.text }], text: by.medicine.text }
      : { text: by.medicine.text };
  } else if (by.kind === 'reference') {
    const m = MEDICATION_CATALOGUE[by.catalogue];
    request.medicationReference = { reference: `Medication/${m.id}`, display: m.text };
  } else {
    request.contained = [medicationResource('med1', by.medicine)];
    request.medicationReference = { reference: '#med1' };
  }
  return request;
}
