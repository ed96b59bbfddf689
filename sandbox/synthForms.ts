import type { AllergyIntolerance, CarePlan, Coding, Consent, Patient, QuestionnaireResponse, Resource } from '@medplum/fhirtypes';
import { SNOMED_NO_KNOWN_DRUG_ALLERGY, SYSTEMS } from '../core/fhirCodes';
import { reference, type StaffMember } from './synthPeople';
import { isoDateDaysAgo, isoInstantDaysAgo } from './synthTime';

/**
 * Issue #11: the shapes a real central record sends that our first generator never made: status
 * and verification on allergies, "no known allergy" statements, several reactions, ended and
 * narrative-only plans, an end-of-life plan recorded as a questionnaire, a sharing objection,
 * security labels, deceased patients, patients without an NHS number, interpreter needs.
 */

/** SNOMED CT: not for resuscitation (finding), as UK records code a DNACPR inside forms. */
export const SNOMED_NOT_FOR_RESUSCITATION = '304253006';

type Reaction = Readonly<{ manifestation: string; severity: 'mild' | 'moderate' | 'severe'; snomed?: string }>;

export type AllergyShape = Readonly<{
  id: string;
  patientId: string;
  text: string;
  snomed?: string;
  verification: 'confirmed' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  criticality?: 'low' | 'high';
  reactions: readonly Reaction[];
  daysAgo: number;
  recorder: StaffMember;
}>;

/** An allergy with verification; entered-in-error carries no clinicalStatus (R4 invariant ait-2). */
export function buildAllergyShape(spec: AllergyShape): AllergyIntolerance {
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: spec.id,
    verificationStatus: { coding: [{ system: SYSTEMS.allergyVerification, code: spec.verification }] },
    code: spec.snomed ? { coding: [{ system: SYSTEMS.snomed, code: spec.snomed, display: spec.text }], text: spec.text } : { text: spec.text },
    patient: reference('Patient', spec.patientId),
    recordedDate: isoDateDaysAgo(spec.daysAgo),
    recorder: reference('Practitioner', spec.recorder.id, spec.recorder.display),
  };
  if (spec.verification !== 'entered-in-error') allergy.clinicalStatus = { coding: [{ system: SYSTEMS.allergyClinical, code: 'active' }] };
  if (spec.criticality) allergy.criticality = spec.criticality;
  if (spec.reactions.length) {
    allergy.reaction = spec.reactions.map((r) => ({
      manifestation: [r.snomed ? { coding: [{ system: SYSTEMS.snomed, code: r.snomed, display: r.manifestation }], text: r.manifestation } : { text: r.manifestation }],
      severity: r.severity,
    }));
  }
  return allergy;
}

/** "No known drug allergy": a statement that there is none, not an allergy (SNOMED 409137002). */
export function buildNoKnownDrugAllergy(id: string, patientId: string, daysAgo: number, recorder: StaffMember): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    clinicalStatus: { coding: [{ system: SYSTEMS.allergyClinical, code: 'active' }] },
    verificationStatus: { coding: [{ system: SYSTEMS.allergyVerification, code: 'confirmed' }] },
    code: { coding: [{ system: SYSTEMS.snomed, code: SNOMED_NO_KNOWN_DRUG_ALLERGY, display: 'No known drug allergy' }], text: 'No known drug allergy' },
    patient: reference('Patient', patientId),
    recordedDate: isoDateDaysAgo(daysAgo),
    recorder: reference('Practitioner', recorder.id, recorder.display),
  };
}

export type EndedPlanSpec = Readonly<{
  id: string;
  patientId: string;
  title: string;
  status: 'completed' | 'revoked';
  startDaysAgo: number;
  endDaysAgo: number;
  author: StaffMember;
}>;

/** A plan that no longer applies: ended (completed or revoked), with its period end. */
export function buildEndedPlan(spec: EndedPlanSpec): CarePlan {
  return {
    resourceType: 'CarePlan',
    id: spec.id,
    status: spec.status,
    intent: 'plan',
    title: spec.title,
    subject: reference('Patient', spec.patientId),
    period: { start: isoDateDaysAgo(spec.startDaysAgo), end: isoDateDaysAgo(spec.endDaysAgo) },
    author: reference('Practitioner', spec.author.id, spec.author.display),
  };
}

/** A current plan whose content exists only as narrative (no title, description or activities). */
export function buildNarrativeOnlyPlan(id: string, patientId: string, paragraphs: readonly string[], author: StaffMember): CarePlan {
  const div = `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>`;
  return {
    resourceType: 'CarePlan',
    id,
    text: { status: 'additional', div },
    status: 'active',
    intent: 'plan',
    subject: reference('Patient', patientId),
    created: isoInstantDaysAgo(40),
    author: reference('Practitioner', author.id, author.display),
  };
}

export type EndOfLifeFormSpec = Readonly<{
  id: string;
  patientId: string;
  daysAgo: number;
  author: StaffMember;
  preferredPlace: string;
  ceiling: string;
  contact: string;
}>;

const answerString = (linkId: string, text: string, value: string) => ({ linkId, text, answer: [{ valueString: value }] });
const answerCoding = (linkId: string, text: string, value: Coding) => ({ linkId, text, answer: [{ valueCoding: value }] });

/**
 * An end-of-life plan recorded as a form (as UK Core's end-of-life QuestionnaireResponse example
 * does) with no Consent beside it: the resuscitation decision lives inside an answer.
 */
export function buildEndOfLifeForm(spec: EndOfLifeFormSpec): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: spec.id,
    questionnaire: SYSTEMS.endOfLifeQuestionnaire,
    status: 'completed',
    subject: reference('Patient', spec.patientId),
    authored: isoInstantDaysAgo(spec.daysAgo),
    author: reference('Practitioner', spec.author.id, spec.author.display),
    item: [
      answerString('plan-title', 'Plan', 'End of life care plan'),
      answerCoding('resuscitation', 'Cardiopulmonary resuscitation', { system: SYSTEMS.snomed, code: SNOMED_NOT_FOR_RESUSCITATION, display: 'Not for resuscitation' }),
      answerString('preferred-place-of-death', 'Preferred place of death', spec.preferredPlace),
      answerString('ceiling-of-treatment', 'Ceiling of treatment', spec.ceiling),
      answerString('contact', 'Who to contact', spec.contact),
    ],
  };
}

/**
 * The patient objects to their record being shared (sync/privacy.ts objectionUntil): a privacy
 * Consent, opt-out policy, a blanket deny with no end.
 */
export function buildSharingObjection(id: string, patientId: string, daysAgo: number): Consent {
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy' }] },
    category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' }] }],
    patient: reference('Patient', patientId),
    dateTime: isoInstantDaysAgo(daysAgo),
    policyRule: { coding: [{ system: SYSTEMS.v3ActCode, code: 'OPTOUT', display: 'opt-out' }] },
    provision: { type: 'deny', period: { start: isoDateDaysAgo(daysAgo) } },
  };
}

/** Labels a resource restricted (R) or very restricted (V); the generator keeps labels when it sets meta. */
export function labelled<R extends Resource>(resource: R, code: 'R' | 'V'): R {
  const display = code === 'R' ? 'restricted' : 'very restricted';
  return { ...resource, meta: { ...resource.meta, security: [{ system: SYSTEMS.confidentiality, code, display }] } };
}

/** Patient.communication with an interpreter needed (R4 core extension patient-interpreterRequired). */
export function withInterpreter(patient: Patient, language: Readonly<{ code: string; display: string }>): Patient {
  return {
    ...patient,
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: language.code, display: language.display }], text: language.display }, preferred: true }],
    extension: [...(patient.extension ?? []), { url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true }],
  };
}

/** A patient known only by a hospital number (no NHS number traced). */
export function withoutNhsNumber(patient: Patient, hospitalNumber: string): Patient {
  return { ...patient, identifier: [{ system: SYSTEMS.hospitalNumber, value: hospitalNumber, type: { text: 'Hospital number' } }] };
}

export function deceased(patient: Patient, daysAgo: number): Patient {
  return { ...patient, deceasedDateTime: isoInstantDaysAgo(daysAgo, 300) };
}
