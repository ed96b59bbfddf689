import type { DocumentReference, Encounter, Immunization, Procedure } from '@medplum/fhirtypes';
import { SYSTEMS } from '../core/fhirCodes';
import { ORGANIZATIONS, reference, type StaffMember } from './synthPeople';
import { isoDateDaysAgo, isoInstantDaysAgo } from './synthTime';

/**
 * Issue #11: the patient's history as a central record holds it: encounters elsewhere (with the
 * organisation), procedures, immunisations and documents (metadata here; the content is a URL
 * opened on demand, never inlined).
 */
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export type EncounterSpec = Readonly<{
  id: string;
  patientId: string;
  kind: 'AMB' | 'IMP' | 'EMER';
  reason: string;
  startDaysAgo: number;
  lengthDays: number;
  organisation: keyof typeof ORGANIZATIONS;
}>;

const CLASS_DISPLAY: Readonly<Record<EncounterSpec['kind'], string>> = { AMB: 'ambulatory', IMP: 'inpatient encounter', EMER: 'emergency' };

export function buildEncounter(spec: EncounterSpec): Encounter {
  const org = ORGANIZATIONS[spec.organisation];
  return {
    resourceType: 'Encounter',
    id: spec.id,
    status: 'finished',
    class: { system: ACT_CODE, code: spec.kind, display: CLASS_DISPLAY[spec.kind] },
    subject: reference('Patient', spec.patientId),
    period: { start: isoInstantDaysAgo(spec.startDaysAgo), end: isoInstantDaysAgo(Math.max(0, spec.startDaysAgo - spec.lengthDays), -90) },
    reasonCode: [{ text: spec.reason }],
    serviceProvider: reference('Organization', org.id, org.name),
  };
}

export type ProcedureSpec = Readonly<{ id: string; patientId: string; text: string; snomed?: string; daysAgo: number; performer: StaffMember }>;

export function buildProcedure(spec: ProcedureSpec): Procedure {
  return {
    resourceType: 'Procedure',
    id: spec.id,
    status: 'completed',
    code: spec.snomed ? { coding: [{ system: SYSTEMS.snomed, code: spec.snomed, display: spec.text }], text: spec.text } : { text: spec.text },
    subject: reference('Patient', spec.patientId),
    performedDateTime: isoDateDaysAgo(spec.daysAgo),
    performer: [{ actor: reference('Practitioner', spec.performer.id, spec.performer.display) }],
  };
}

export type ImmunizationSpec = Readonly<{ id: string; patientId: string; vaccine: string; daysAgo: number; status?: 'completed' | 'not-done' }>;

export function buildImmunization(spec: ImmunizationSpec): Immunization {
  const gp = ORGANIZATIONS.gp;
  return {
    resourceType: 'Immunization',
    id: spec.id,
    status: spec.status ?? 'completed',
    vaccineCode: { text: spec.vaccine },
    patient: reference('Patient', spec.patientId),
    occurrenceDateTime: isoDateDaysAgo(spec.daysAgo),
    primarySource: true,
    performer: [{ actor: reference('Organization', gp.id, gp.name) }],
  };
}

export type DocumentSpec = Readonly<{
  id: string;
  patientId: string;
  title: string;
  /** LOINC document type, e.g. 18842-5 discharge summary. */
  loinc: string;
  typeText: string;
  daysAgo: number;
  author: StaffMember;
}>;

export function buildDocument(spec: DocumentSpec, baseUrl = 'https://documents.onscene.example'): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: spec.id,
    status: 'current',
    type: { coding: [{ system: SYSTEMS.loinc, code: spec.loinc, display: spec.typeText }], text: spec.typeText },
    subject: reference('Patient', spec.patientId),
    date: isoInstantDaysAgo(spec.daysAgo),
    author: [reference('Practitioner', spec.author.id, spec.author.display)],
    description: spec.title,
    content: [{ attachment: { contentType: 'application/pdf', url: `${baseUrl}/${spec.id}.pdf`, title: spec.title, creation: isoInstantDaysAgo(spec.daysAgo) } }],
  };
}
