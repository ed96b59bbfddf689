import { z } from 'zod';
import { CARE_PLAN_KINDS } from '../fhirCodes';

/**
 * The record view as the crew sees it (issue #11). Every text is bounded and every reader clips to
 * the bound (core/record/common.ts `text`), because the renderer refuses a record that breaks them.
 */
const isoTime = z.string().min(10).max(40);
/** A FHIR date or date-time as sent: partial dates ("2019", "2019-03") are valid FHIR. */
const fhirTime = z.string().max(40);
const shortText = z.string().max(2000);
const longText = z.string().max(8000);
const id = z.string().max(200);

/** Who recorded an item, for which organisation, when, and from which system, as far as the resource says. */
export const provenanceSchema = z.object({
  by: shortText.nullable(),
  organisation: shortText.nullable(),
  at: fhirTime.nullable(),
  /** meta.source: the system that sent it (host of the URL). */
  system: shortText.nullable(),
});

/**
 * Every item: when the central record last confirmed it (server time of the last completed pull
 * that covered its type, or when this version was stored if later), and where it came from. The
 * renderer decides "may have changed" from its own clock against PatientRecordView.staleAfterMs.
 */
const item = { id, confirmedAt: fhirTime, source: provenanceSchema };

/**
 * 'none-recorded' only when the Consent pull confirmed the absence; 'not-yet-confirmed' when it never
 * completed for the patient; 'unreadable' when a Consent was set aside as malformed or is withheld;
 * 'conflicting' when active decisions for and not for CPR are both recorded.
 */
export const resuscitationStatusSchema = z.enum(['dnacpr', 'respect-not-for-cpr', 'respect-for-cpr', 'none-recorded', 'not-yet-confirmed', 'unreadable', 'conflicting']);
export type ResuscitationStatus = z.infer<typeof resuscitationStatusSchema>;

/** Another record bearing on resuscitation or end of life, and where on the screen it is. */
export const relatedRecordSchema = z.object({
  kind: z.enum(['end-of-life-plan', 'advance-decision', 'form', 'document', 'alert']),
  text: shortText,
  /** Which section shows it in full, e.g. "Forms". */
  where: shortText,
  /** What it says about resuscitation or treatment, quoted from it. */
  summary: z.array(shortText),
});
export type RelatedRecordView = z.infer<typeof relatedRecordSchema>;

export const resuscitationViewSchema = z.object({
  status: resuscitationStatusSchema,
  headline: shortText,
  decidedAt: fhirTime.nullable(),
  decidedBy: shortText.nullable(),
  note: shortText.nullable(),
  /** When the decision (or, for 'none-recorded', the absence) was last confirmed; null: never. */
  confirmedAt: fhirTime.nullable(),
  /** As computed when the view was built; the renderer recomputes it from its clock. */
  isPossiblyStale: z.boolean(),
  organisation: shortText.nullable(),
  /** The form the decision was made on, when there is one: a for-CPR decision off a ReSPECT form is not called ReSPECT. */
  decisionForm: z.enum(['dnacpr', 'respect', 'other']).nullable(),
  /** ReSPECT content as the record holds it: clinical recommendations, preferences, notes. */
  details: z.array(z.object({ label: shortText, value: shortText })),
  /** Treatments the decision covers besides CPR (ceilings of treatment). */
  treatments: z.array(z.object({ isRecommended: z.boolean(), text: shortText })),
  /** People the decision names or was discussed with. */
  people: z.array(z.object({ name: shortText, role: shortText.nullable() })),
  /** The signed form, when the record points to one (title only: its content is not on this device). */
  form: shortText.nullable(),
  related: z.array(relatedRecordSchema),
  /** Record types that could hold an end-of-life plan and were never downloaded for this patient. */
  uncheckedSources: z.array(shortText),
});
export type ResuscitationView = z.infer<typeof resuscitationViewSchema>;

export const alertViewSchema = z.object({
  ...item,
  /** The main category in plain English ("Safety", "Infection control"). */
  category: shortText,
  categories: z.array(shortText),
  text: shortText,
  isSafetyWarning: z.boolean(),
  since: fhirTime.nullable(),
  until: fhirTime.nullable(),
  status: shortText,
});

const severity = z.enum(['severe', 'moderate', 'mild']).nullable();
export const reactionViewSchema = z.object({
  manifestations: z.array(shortText),
  severity,
  isAnaphylaxis: z.boolean(),
  substance: shortText.nullable(),
  description: shortText.nullable(),
  onset: fhirTime.nullable(),
});
/** Non-confirmed verification is shown as such; entered-in-error never reaches a view, refuted only a past or statement list. */
const verification = z.enum(['unconfirmed', 'presumed', 'provisional', 'differential', 'confirmed', 'refuted']).nullable();

export const allergyViewSchema = z.object({
  ...item,
  substance: shortText,
  /** The most severe reaction's manifestations, for one-line summaries. */
  reaction: shortText.nullable(),
  reactions: z.array(reactionViewSchema),
  criticality: z.enum(['low', 'high', 'unable-to-assess']).nullable(),
  type: z.enum(['allergy', 'intolerance']).nullable(),
  categories: z.array(shortText),
  verification,
  clinicalStatus: shortText.nullable(),
  notes: z.array(shortText),
});
/** "No known drug allergy", or an allergy ruled out: statements, not allergies. */
export const allergyStatementViewSchema = z.object({ ...item, kind: z.enum(['no-known-allergy', 'refuted']), text: shortText });

/** Issue #14: what a crew added to a plan (core/carePlanContribution.ts), newest last. */
export const contributionViewSchema = z.object({
  id,
  label: shortText,
  text: shortText,
  by: shortText.nullable(),
  at: fhirTime.nullable(),
  isWaitingToUpload: z.boolean(),
});

export const carePlanViewSchema = z.object({
  ...item,
  kind: z.enum(CARE_PLAN_KINDS).nullable(),
  title: shortText,
  description: shortText,
  activities: z.array(shortText),
  author: shortText.nullable(),
  /** The plan's narrative as plain text, when it has no description or activities of its own. */
  narrative: longText.nullable(),
  notes: z.array(shortText),
  status: shortText,
  start: fhirTime.nullable(),
  end: fhirTime.nullable(),
  /** Issue #14: a change to the plan itself saved on this device and not yet accepted centrally. */
  isWaitingToUpload: z.boolean().default(false),
  contributions: z.array(contributionViewSchema).default([]),
});

export const medicationViewSchema = z.object({
  ...item,
  text: shortText,
  /** The dose as written, or built from the structured dose and timing. */
  detail: shortText.nullable(),
  recordKind: z.enum(['prescription', 'statement']),
  status: shortText,
  /** An instruction NOT to give it (MedicationRequest.doNotPerform). */
  isDoNotGive: z.boolean(),
  reason: shortText.nullable(),
  since: fhirTime.nullable(),
  until: fhirTime.nullable(),
});

export const conditionViewSchema = z.object({
  ...item,
  text: shortText,
  detail: shortText.nullable(),
  verification,
  clinicalStatus: shortText.nullable(),
  since: fhirTime.nullable(),
});

/** An encounter, procedure or immunisation. */
export const eventViewSchema = z.object({
  ...item,
  text: shortText,
  detail: shortText.nullable(),
  at: fhirTime.nullable(),
  organisation: shortText.nullable(),
  status: shortText.nullable(),
});

export const documentViewSchema = z.object({
  ...item,
  title: shortText,
  type: shortText.nullable(),
  description: shortText.nullable(),
  author: shortText.nullable(),
  organisation: shortText.nullable(),
  at: fhirTime.nullable(),
  contentType: shortText.nullable(),
  isPreliminary: z.boolean(),
  /** Mentions resuscitation, ReSPECT, an advance decision or end of life in its title or type. */
  isAdvanceCarePlan: z.boolean(),
});

export const formAnswerSchema = z.object({ section: shortText.nullable(), question: shortText, answer: shortText });
export const formViewSchema = z.object({
  ...item,
  title: shortText,
  status: shortText,
  isAdvanceCarePlan: z.boolean(),
  answers: z.array(formAnswerSchema),
  /** Answers left out to keep the record small (the form is longer than the screen shows). */
  omittedAnswers: z.number().int().nonnegative(),
});

export const contactViewSchema = z.object({
  ...item,
  kind: z.enum(['related-person', 'care-team', 'patient-contact']),
  name: shortText,
  relationship: shortText.nullable(),
  phones: z.array(z.object({ value: shortText, use: shortText.nullable() })),
  organisation: shortText.nullable(),
  team: shortText.nullable(),
});

export const communicationViewSchema = z.object({
  languages: z.array(z.object({ text: shortText, isPreferred: z.boolean(), isSignLanguage: z.boolean() })),
  /** null: the record does not say. */
  interpreterRequired: z.boolean().nullable(),
  /** The registered GP practice or GP (Patient.generalPractitioner), who to ask about this record. */
  registeredGp: shortText.nullable(),
});

/**
 * Whether "none" can be said of a section: 'confirmed' when a completed pull covered every type it
 * shows, 'partly-downloaded' when some were, 'not-downloaded' when none were.
 */
export const coverageSchema = z.object({
  state: z.enum(['confirmed', 'partly-downloaded', 'not-downloaded']),
  /** The oldest confirmation among its types. */
  confirmedAt: fhirTime.nullable(),
  /** Plain names of the types not yet downloaded ("prescriptions"). */
  notDownloaded: z.array(shortText),
  hasUnreadable: z.boolean(),
  isWithheld: z.boolean(),
});
export const SECTION_IDS = ['alerts', 'allergies', 'carePlans', 'medications', 'conditions', 'encounters', 'procedures', 'immunizations', 'documents', 'forms', 'contacts'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const withheldViewSchema = z.object({
  reason: z.enum(['restricted', 'sharing-objection']),
  count: z.number().int().nonnegative(),
  types: z.array(shortText),
  contact: shortText,
});

export const patientSummarySchema = z.object({
  patientId: z.string(),
  nhsNumber: z.string().nullable(),
  name: shortText,
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  address: shortText.nullable(),
  // Optional so summaries made elsewhere (a triage snapshot) stay valid; patientSummary() always sets them.
  /** Recorded as deceased (deceasedBoolean or deceasedDateTime). */
  isDeceased: z.boolean().optional(),
  /** Date of death when recorded (deceasedDateTime); null when unknown or alive. */
  deceasedAt: fhirTime.nullable().optional(),
  /** Identifiers other than the NHS number, labelled by system, to tell patients apart. */
  otherIdentifiers: z.array(z.object({ label: shortText, value: shortText })).optional(),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

const coverageBySection = z.object(Object.fromEntries(SECTION_IDS.map((s) => [s, coverageSchema])) as Record<SectionId, typeof coverageSchema>);

/** Issue #14 "each record shows its own state": up to date as of when, changes waiting to upload, in conflict. */
export const recordSyncStateSchema = z.object({
  /** The oldest confirmation among the record's types by a completed pull (server time); null when never. */
  upToDateAt: isoTime.nullable(),
  pendingUploads: z.number().int().nonnegative(),
  conflicts: z.array(z.object({ conflictId: z.string().max(300), what: z.string().max(200) })).max(100),
  /** What waits to upload, in plain words ("Observation", "Care plan change"), at most a few. */
  pendingKinds: z.array(z.string().max(200)).max(20),
});
export type RecordSyncState = z.infer<typeof recordSyncStateSchema>;

export const patientRecordViewSchema = z.object({
  patient: patientSummarySchema,
  communication: communicationViewSchema,
  resuscitation: resuscitationViewSchema,
  alerts: z.array(alertViewSchema),
  allergies: z.array(allergyViewSchema),
  allergyStatements: z.array(allergyStatementViewSchema),
  carePlans: z.array(carePlanViewSchema),
  medications: z.array(medicationViewSchema),
  conditions: z.array(conditionViewSchema),
  encounters: z.array(eventViewSchema),
  procedures: z.array(eventViewSchema),
  immunizations: z.array(eventViewSchema),
  documents: z.array(documentViewSchema),
  forms: z.array(formViewSchema),
  contacts: z.array(contactViewSchema),
  /** Not current (ended, resolved, inactive, older history): counted and viewable, never shown as current. */
  past: z.object({
    alerts: z.array(alertViewSchema),
    allergies: z.array(allergyViewSchema),
    carePlans: z.array(carePlanViewSchema),
    medications: z.array(medicationViewSchema),
    conditions: z.array(conditionViewSchema),
    encounters: z.array(eventViewSchema),
    procedures: z.array(eventViewSchema),
    immunizations: z.array(eventViewSchema),
  }),
  coverage: coverageBySection,
  withheld: withheldViewSchema.nullable(),
  /** Safety-critical items not confirmed for longer than this show "may have changed". */
  staleAfterMs: z.number().int().positive(),
  /** The least recently stored part of the record. */
  syncedAt: isoTime.nullable(),
  isOffline: z.boolean(),
  /** Issue #14: the record's own sync state (optional only for older callers; record.open always sends it). */
  syncState: recordSyncStateSchema.optional(),
});
export type PatientRecordView = z.infer<typeof patientRecordViewSchema>;
export type AlertView = z.infer<typeof alertViewSchema>;
export type AllergyView = z.infer<typeof allergyViewSchema>;
export type ReactionView = z.infer<typeof reactionViewSchema>;
export type AllergyStatementView = z.infer<typeof allergyStatementViewSchema>;
export type CarePlanView = z.infer<typeof carePlanViewSchema>;
export type ContributionView = z.infer<typeof contributionViewSchema>;
export type MedicationView = z.infer<typeof medicationViewSchema>;
export type ConditionView = z.infer<typeof conditionViewSchema>;
export type EventView = z.infer<typeof eventViewSchema>;
export type DocumentView = z.infer<typeof documentViewSchema>;
export type FormView = z.infer<typeof formViewSchema>;
export type FormAnswer = z.infer<typeof formAnswerSchema>;
export type ContactView = z.infer<typeof contactViewSchema>;
export type CommunicationView = z.infer<typeof communicationViewSchema>;
export type CoverageView = z.infer<typeof coverageSchema>;
export type WithheldView = z.infer<typeof withheldViewSchema>;
export type ProvenanceView = z.infer<typeof provenanceSchema>;
