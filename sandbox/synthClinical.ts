import type {
  AllergyIntolerance, CarePlan, Condition, Consent, Flag, MedicationStatement, Resource,
} from '@medplum/fhirtypes';
import { SNOMED_CPR, SYSTEMS, type CarePlanKind, type ResusDecisionKind } from '../core/fhirCodes';
import { type Rng } from './prng';
import { reference, type StaffMember } from './synthPeople';
import { isoDateDaysAgo, isoInstantDaysAgo } from './synthTime';

/** What a per-patient builder needs: who the patient is and who authored their records. */
export type PatientContext = Readonly<{ rng: Rng; key: string; patientId: string; author: (kind: StaffMember['kind']) => StaffMember }>;

export type FlagCategory = 'safety' | 'clinical' | 'behavioral';

export function buildFlag(ctx: PatientContext, n: number, category: FlagCategory, text: string): Flag {
  return {
    resourceType: 'Flag',
    id: `flag-${ctx.key}-${n}`,
    status: 'active',
    category: [{ coding: [{ system: SYSTEMS.flagCategory, code: category }] }],
    code: { text },
    subject: reference('Patient', ctx.patientId),
    period: { start: isoDateDaysAgo(ctx.rng.int(10, 2000)) },
  };
}

export type AllergySpec = Readonly<{ text: string; snomed?: string; reaction: string; isHigh: boolean }>;

export function buildAllergy(ctx: PatientContext, n: number, a: AllergySpec): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id: `allergy-${ctx.key}-${n}`,
    clinicalStatus: { coding: [{ system: SYSTEMS.allergyClinical, code: 'active' }] },
    code: a.snomed ? { text: a.text, coding: [{ system: SYSTEMS.snomed, code: a.snomed, display: a.text }] } : { text: a.text },
    criticality: a.isHigh ? 'high' : 'low',
    patient: reference('Patient', ctx.patientId),
    recordedDate: isoDateDaysAgo(ctx.rng.int(30, 5000)),
    reaction: [{ manifestation: [{ text: a.reaction }] }],
  };
}

export function buildMedication(ctx: PatientContext, n: number, text: string, dosage: string): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: `med-${ctx.key}-${n}`,
    status: 'active',
    medicationCodeableConcept: { text },
    subject: reference('Patient', ctx.patientId),
    dateAsserted: isoDateDaysAgo(ctx.rng.int(1, 400)),
    dosage: [{ text: dosage }],
  };
}

export function buildCondition(ctx: PatientContext, n: number, text: string): Condition {
  return {
    resourceType: 'Condition',
    id: `cond-${ctx.key}-${n}`,
    clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active' }] },
    code: { text },
    subject: reference('Patient', ctx.patientId),
    onsetDateTime: isoDateDaysAgo(ctx.rng.int(60, 9000)),
  };
}

/** R4 invariant ppc-1 needs policy or policyRule on every Consent; text only, no extra code system. */
const DECISION_POLICY: Readonly<Record<ResusDecisionKind, string>> = {
  dnacpr: 'Local DNACPR policy',
  respect: 'ReSPECT process (Resuscitation Council UK)',
};

const DECISION_DISPLAY: Readonly<Record<ResusDecisionKind, string>> = {
  dnacpr: 'Do not attempt cardiopulmonary resuscitation',
  respect: 'ReSPECT form',
};

export type ResusSpec = Readonly<{ suffix: string; kind: ResusDecisionKind; isForCpr: boolean; note: string; author: StaffMember }>;

/**
 * A resuscitation decision as Consent (see core/fhirCodes.ts). DNACPR is always "deny";
 * a ReSPECT form may say either.
 */
export function buildResusDecision(ctx: PatientContext, spec: ResusSpec): Consent {
  if (spec.kind === 'dnacpr' && spec.isForCpr) throw new RangeError('a DNACPR cannot be for CPR');
  return {
    resourceType: 'Consent',
    id: `consent-${ctx.key}-${spec.suffix}`,
    status: 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'adr' }] },
    category: [{ coding: [{ system: SYSTEMS.resusDecision, code: spec.kind, display: DECISION_DISPLAY[spec.kind] }] }],
    patient: reference('Patient', ctx.patientId),
    dateTime: isoInstantDaysAgo(ctx.rng.int(5, 400), ctx.rng.int(0, 600)),
    policyRule: { text: DECISION_POLICY[spec.kind] },
    performer: [reference('Practitioner', spec.author.id, spec.author.display)],
    provision: {
      type: spec.isForCpr ? 'permit' : 'deny',
      code: [{ coding: [{ system: SYSTEMS.snomed, code: SNOMED_CPR, display: 'Cardiopulmonary resuscitation' }] }],
    },
    extension: [{ url: SYSTEMS.decisionNote, valueString: spec.note }],
  };
}

export type PlanSpec = Readonly<{
  suffix: string;
  kind: CarePlanKind;
  title: string;
  description: string;
  activities: readonly string[];
  author: StaffMember;
  supportingInfo?: readonly Resource[];
}>;

export function buildCarePlan(ctx: PatientContext, spec: PlanSpec): CarePlan {
  const plan: CarePlan = {
    resourceType: 'CarePlan',
    id: `careplan-${ctx.key}-${spec.suffix}`,
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: SYSTEMS.carePlanKind, code: spec.kind }] }],
    title: spec.title,
    description: spec.description,
    subject: reference('Patient', ctx.patientId),
    created: isoInstantDaysAgo(ctx.rng.int(5, 400), ctx.rng.int(0, 600)),
    author: reference('Practitioner', spec.author.id, spec.author.display),
    // detail.status is mandatory in R4; these are standing instructions, so "in-progress".
    activity: spec.activities.map((description) => ({ detail: { status: 'in-progress', description } })),
  };
  if (spec.supportingInfo?.length) {
    plan.supportingInfo = spec.supportingInfo.map((r) => ({ reference: `${r.resourceType}/${r.id ?? ''}` }));
  }
  return plan;
}
