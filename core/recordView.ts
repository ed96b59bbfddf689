import type {
  AllergyIntolerance, CarePlan, CareTeam, Condition, Consent, DocumentReference, Encounter, Flag, Immunization,
  Communication, MedicationRequest, MedicationStatement, Patient, Procedure, QuestionnaireResponse, RelatedPerson, Resource,
} from '@medplum/fhirtypes';
import { alertViews } from './record/alerts';
import { allergyViews } from './record/allergies';
import { carePlanViews } from './record/carePlans';
import { type RecordContext, indexResources, laterOf } from './record/common';
import { conditionViews } from './record/conditions';
import { contactViews } from './record/contacts';
import { type CoverageFacts, allCoverage, isTypeWithheld, typeWords, withheldView } from './record/coverage';
import { documentViews } from './record/documents';
import { formViews } from './record/forms';
import { encounterViews, immunizationViews, procedureViews } from './record/history';
import { medicationViews } from './record/medications';
import { communicationView, patientSummary } from './record/patient';
import { relatedRecords } from './record/related';
import { type ResuscitationFacts, advanceDecisions, resuscitationFromConsents } from './record/resuscitation';
import type { PatientRecordView, RelatedRecordView, ResuscitationView } from './views';

export { patientSummary };

/** A resource as the local store holds it: the central record's copy and when this device stored it. */
export type CachedResource<R extends Resource = Resource> = Readonly<{ resource: R; syncedAt: string }>;

/** Facts about a patient's cached record that are not resources (ResourceRepo.recordViewFacts). */
export type RecordViewFacts = Readonly<{
  /**
   * Server time a completed Consent pull last covered this patient; null: never. Only this can
   * date "no resuscitation decision recorded" (the Patient is re-stamped every run regardless).
   */
  consentConfirmedAt?: string | null;
  /** Safety-tier resource types with a resource for this patient that failed validation and was set aside. */
  unreadableTypes?: readonly string[];
  /**
   * Issue #11: server time a completed pull last covered this patient, per resource type (a type
   * absent: never confirmed). An item's "confirmed at" is the later of this and its own syncedAt.
   */
  confirmedAtByType?: Readonly<Record<string, string>>;
  /** Issue #14: "Type/id" of this patient's resources with a local write not yet accepted by the central record. */
  waitingKeys?: readonly string[];
  /**
   * Issue #11: what the central record holds for this patient that this device does not cache:
   * resources labelled restricted/very restricted (meta.security R or V), or everything beyond the
   * demographics when the patient's Consent records an objection to sharing.
   */
  withheld?: Readonly<{ reason: 'restricted' | 'sharing-objection'; count: number; types: readonly string[] }> | null;
}>;

export type RecordViewOptions = Readonly<{
  now: Date;
  isOffline: boolean;
  /** Safety-critical items not confirmed for longer than this show "may have changed". */
  staleAfterMs: number;
}> & RecordViewFacts;

/** Default freshness threshold: a shift (12 hours). */
export const DEFAULT_STALE_AFTER_MS = 12 * 60 * 60 * 1000;

/** Types that can hold an end-of-life plan or advance decision outside a Consent. */
const PLAN_SOURCES = ['CarePlan', 'QuestionnaireResponse', 'DocumentReference'] as const;

/** Both facts date the Consent pull (the older per-patient one and the per-type one): the later wins. */
function consentConfirmedAt(options: RecordViewOptions): string | null {
  const byType = options.confirmedAtByType?.Consent;
  const legacy = options.consentConfirmedAt ?? null;
  return byType ? laterOf(legacy, byType) : legacy;
}

function contextOf(resources: readonly CachedResource[], options: RecordViewOptions): RecordContext {
  const confirmedAtByType = { ...(options.confirmedAtByType ?? {}) };
  const consent = consentConfirmedAt(options);
  if (consent) confirmedAtByType.Consent = consent;
  return { now: options.now, index: indexResources(resources), confirmedAtByType, waitingKeys: new Set(options.waitingKeys ?? []) };
}

function coverageFacts(ctx: RecordContext, options: RecordViewOptions): CoverageFacts {
  return { confirmedAtByType: ctx.confirmedAtByType, unreadableTypes: options.unreadableTypes ?? [], withheld: options.withheld ?? null };
}

function resuscitationFacts(options: RecordViewOptions, ctx: RecordContext, related: readonly RelatedRecordView[]): ResuscitationFacts {
  return {
    now: options.now,
    staleAfterMs: options.staleAfterMs,
    consentConfirmedAt: consentConfirmedAt(options),
    unreadableTypes: options.unreadableTypes ?? [],
    isConsentWithheld: isTypeWithheld(coverageFacts(ctx, options), 'Consent'),
    related,
    uncheckedSources: PLAN_SOURCES.filter((t) => ctx.confirmedAtByType[t] === undefined).map(typeWords),
    ctx,
  };
}

/**
 * The resuscitation decision that applies now, from the patient's Consents alone (see
 * core/record/resuscitation.ts). buildPatientRecordView adds the other records that bear on it.
 */
export function resuscitationView(consents: readonly CachedResource<Consent>[], options: RecordViewOptions): ResuscitationView {
  const ctx = contextOf(consents, options);
  return resuscitationFromConsents(consents, resuscitationFacts(options, ctx, advanceDecisions(consents, options.now)));
}

/** Builds the crew's view of one patient from cached resources of any type, resuscitation decision first. */
export function buildPatientRecordView(
  patient: CachedResource<Patient>,
  resources: readonly CachedResource[],
  options: RecordViewOptions,
): PatientRecordView {
  const ctx = contextOf(resources, options);
  const ofType = <R extends Resource>(type: R['resourceType']) =>
    resources.filter((r): r is CachedResource<R> => r.resource.resourceType === type);
  const consents = ofType<Consent>('Consent');
  const alerts = alertViews(ofType<Flag>('Flag'), ctx);
  const allergies = allergyViews(ofType<AllergyIntolerance>('AllergyIntolerance'), ctx);
  const carePlans = carePlanViews(ofType<CarePlan>('CarePlan'), ctx, ofType<Communication>('Communication'));
  const medications = medicationViews(ofType<MedicationRequest>('MedicationRequest'), ofType<MedicationStatement>('MedicationStatement'), ctx);
  const conditions = conditionViews(ofType<Condition>('Condition'), ctx);
  const encounters = encounterViews(ofType<Encounter>('Encounter'), ctx);
  const procedures = procedureViews(ofType<Procedure>('Procedure'), ctx);
  const immunizations = immunizationViews(ofType<Immunization>('Immunization'), ctx);
  const documents = documentViews(ofType<DocumentReference>('DocumentReference'), ctx);
  const forms = formViews(ofType<QuestionnaireResponse>('QuestionnaireResponse'), ctx);
  const related = relatedRecords({ carePlans: carePlans.current, forms, documents, alerts: alerts.current, advanceDecisions: advanceDecisions(consents, options.now) });
  const syncedTimes = resources.map((r) => r.syncedAt).concat(patient.syncedAt);
  return {
    patient: patientSummary(patient.resource, options.now),
    communication: communicationView(patient.resource, ctx),
    resuscitation: resuscitationFromConsents(consents, resuscitationFacts(options, ctx, related)),
    alerts: alerts.current,
    allergies: allergies.current,
    allergyStatements: allergies.statements,
    carePlans: carePlans.current,
    medications: medications.current,
    conditions: conditions.current,
    encounters: encounters.recent,
    procedures: procedures.recent,
    immunizations: immunizations.recent,
    documents,
    forms,
    contacts: contactViews(patient, ofType<RelatedPerson>('RelatedPerson'), ofType<CareTeam>('CareTeam'), ctx),
    past: {
      alerts: alerts.past,
      allergies: allergies.past,
      carePlans: carePlans.past,
      medications: medications.past,
      conditions: conditions.past,
      encounters: encounters.earlier,
      procedures: procedures.earlier,
      immunizations: immunizations.earlier,
    },
    coverage: allCoverage(coverageFacts(ctx, options)),
    withheld: withheldView(coverageFacts(ctx, options)),
    staleAfterMs: Math.max(1, Math.round(options.staleAfterMs)),
    // The record is as fresh as its least recently stored part.
    syncedAt: syncedTimes.filter((t) => t.length >= 10 && t.length <= 40).sort()[0] ?? null,
    isOffline: options.isOffline,
  };
}
