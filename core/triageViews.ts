import { z } from 'zod';
import { hasHiddenCharacters, normaliseFreeText } from './freeText';

/**
 * Triage (issue #12): what a crew enters, as it is kept on the device, and what the screens are
 * shown. The drafts keep each number exactly as typed (text), so what was on screen is what a
 * crash leaves behind; core/triageRules.ts turns them into values and plain-language problems.
 */
const isoTime = z.string().min(10).max(40);
const fhirId = z.string().min(1).max(64).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');

/** Free text a clinician writes: normalised, no control or hidden characters. */
export const clinicalText = (max: number) =>
  z
    .string()
    .max(max * 2)
    .transform(normaliseFreeText)
    .pipe(z.string().max(max).refine((text) => !hasHiddenCharacters(text), 'must not contain control or hidden characters'));

/** A number as typed: digits, one decimal point, optional leading minus; '' when not yet taken. */
export const typedNumberSchema = z.string().max(8).regex(/^-?\d*(\.\d*)?$/, 'must be a number');

export const NUMERIC_OBSERVATIONS = ['respirationRate', 'spo2', 'systolicBp', 'diastolicBp', 'pulse', 'temperatureC'] as const;
export type NumericObservation = (typeof NUMERIC_OBSERVATIONS)[number];

export const consciousnessSchema = z.enum(['A', 'C', 'V', 'P', 'U']);

/** One set of vital signs as entered. */
export const observationEntriesSchema = z
  .object({
    respirationRate: typedNumberSchema,
    spo2: typedNumberSchema,
    systolicBp: typedNumberSchema,
    diastolicBp: typedNumberSchema,
    pulse: typedNumberSchema,
    temperatureC: typedNumberSchema,
    /** null: not yet recorded whether the patient is on air or oxygen. */
    onOxygen: z.boolean().nullable(),
    consciousness: consciousnessSchema.nullable(),
  })
  .strict();
export type ObservationEntries = z.infer<typeof observationEntriesSchema>;

export const EMPTY_ENTRIES: ObservationEntries = {
  respirationRate: '', spo2: '', systolicBp: '', diastolicBp: '', pulse: '', temperatureC: '', onOxygen: null, consciousness: null,
};

/**
 * SpO2 Scale 2 needs a documented 88–92% target: from the patient's record (a care plan or alert
 * naming it) or documented by the clinician now, with their reason.
 */
export const spo2ScaleSchema = z.discriminatedUnion('scale', [
  z.object({ scale: z.literal(1) }).strict(),
  z.object({ scale: z.literal(2), documentedBy: z.enum(['record', 'clinician']), reason: clinicalText(200) }).strict(),
]);
export type Spo2ScaleChoice = z.infer<typeof spo2ScaleSchema>;

export const staffRefSchema = z.object({ userId: z.string().max(64), name: z.string().max(200), practitionerId: z.string().max(64).nullable() });
export type StaffRef = z.infer<typeof staffRefSchema>;

/**
 * 'draft': being entered, saved as typed; 'recorded': final, queued for (or accepted by) the
 * central record; a correction keeps every earlier version (append-only, DESIGN §4).
 */
export const setStatusSchema = z.enum(['draft', 'final', 'amended', 'entered-in-error']);

export const setVersionSchema = z.object({
  version: z.number().int().min(1),
  status: z.enum(['final', 'amended', 'entered-in-error']),
  entries: observationEntriesSchema,
  spo2Scale: spo2ScaleSchema,
  takenAt: isoTime,
  recordedAt: isoTime,
  recordedBy: staffRefSchema,
  /** Why it was corrected (amended, entered-in-error). */
  reason: z.string().max(500).nullable(),
});
export type SetVersion = z.infer<typeof setVersionSchema>;

/** One set of observations: its draft (while being entered or corrected) and the versions recorded. */
export const observationSetDocSchema = z.object({
  setId: fhirId,
  takenAt: isoTime,
  takenBy: staffRefSchema,
  entries: observationEntriesSchema,
  spo2Scale: spo2ScaleSchema,
  savedAt: isoTime,
  versions: z.array(setVersionSchema),
  /** A correction of a recorded version is being entered (the draft above). */
  isCorrecting: z.boolean(),
  /** The correction's kind and reason as typed so far (saved as entered, like the values). */
  correctionDraft: z.object({ status: z.enum(['amended', 'entered-in-error']).nullable(), reason: z.string().max(1000) }).nullable().optional(),
});
export type ObservationSetDoc = z.infer<typeof observationSetDocSchema>;

export const DISPOSITION_OUTCOMES = ['conveyed', 'referred', 'home-with-advice', 'see-and-treat', 'declined', 'deceased'] as const;
export const REFERRAL_TARGETS = ['gp', 'nhs-111', 'community-team', 'mental-health-crisis-team'] as const;

export const dispositionSchema = z
  .object({
    outcome: z.enum(DISPOSITION_OUTCOMES).nullable(),
    /** Conveyed: the hospital and department, as the crew names them. */
    destination: clinicalText(200),
    referredTo: z.enum(REFERRAL_TARGETS).nullable(),
    /** Deceased: the time life was recognised as extinct (ROLE). */
    roleAt: isoTime.nullable(),
    notes: clinicalText(2000),
  })
  .strict();
export type Disposition = z.infer<typeof dispositionSchema>;
export const EMPTY_DISPOSITION: Disposition = { outcome: null, destination: '', referredTo: null, roleAt: null, notes: '' };

/** What the crew adds to the ATMIST handover; age and signs come from the record and the sets. */
export const handoverEntriesSchema = z
  .object({
    timeOfOnset: clinicalText(200),
    mechanism: clinicalText(1000),
    injuries: clinicalText(1000),
    signsNote: clinicalText(1000),
    treatment: clinicalText(1000),
  })
  .strict();
export type HandoverEntries = z.infer<typeof handoverEntriesSchema>;
export const EMPTY_HANDOVER: HandoverEntries = { timeOfOnset: '', mechanism: '', injuries: '', signsNote: '', treatment: '' };

/** The triage episode as kept in the encrypted store (db collection `triage`). */
export const triageDocSchema = z.object({
  triageId: fhirId,
  patientId: fhirId,
  incidentId: fhirId.nullable(),
  /** True when the crew created the patient here (identity not yet known). */
  isUnidentified: z.boolean(),
  /**
   * Who the patient was when triage started: the episode stays readable (and can be finished)
   * after the incident closes and the cached record is purged.
   */
  patientSnapshot: z
    .object({
      name: z.string().max(2000),
      nhsNumber: z.string().nullable(),
      birthDate: z.string().nullable(),
      gender: z.string().nullable(),
      /** Unidentified patients: the crew's estimate ("about 40"), shown where the age would be. */
      estimatedAge: z.string().max(80).optional(),
    })
    .optional(),
  startedAt: isoTime,
  startedBy: staffRefSchema,
  /**
   * Issue #13: this episode began for a temporary identity and was linked to the patient found.
   * `mode` "moved": nothing had left the device, so every entry now refers to the real patient and
   * the link can be undone while that is still true; "linked": some had been uploaded, so the
   * temporary Patient is marked replaced-by the real one and amended versions were sent.
   */
  link: z
    .object({
      fromPatientId: fhirId,
      fromSnapshot: z.object({ name: z.string().max(2000), gender: z.string().nullable(), estimatedAge: z.string().max(80).optional() }),
      linkedAt: isoTime,
      linkedBy: staffRefSchema,
      mode: z.enum(['moved', 'linked']),
    })
    .optional(),
  state: z.enum(['in-progress', 'finished']),
  finishedAt: isoTime.nullable(),
  sets: z.array(observationSetDocSchema),
  disposition: dispositionSchema,
  handover: handoverEntriesSchema,
  /** Versions of the encounter and handover sent to the outbox (0 = none yet). */
  encounterVersion: z.number().int().min(0),
  handoverVersion: z.number().int().min(0),
  /**
   * FHIR resources this save produced that are not yet in the outbox: saved in the same statement
   * as the episode, queued right after, cleared once queued. A crash in between leaves them here,
   * and the next read queues them (the outbox ignores a version it already holds).
   */
  unqueued: z.array(z.record(z.string(), z.unknown())),
  updatedAt: isoTime,
});
export type TriageDoc = z.infer<typeof triageDocSchema>;

// ---- What the screens are shown -------------------------------------------------------------

export const news2ViewSchema = z.discriminatedUnion('isComplete', [
  z.object({
    isComplete: z.literal(true),
    total: z.number().int(),
    subScores: z.object({
      respirationRate: z.number().int(), spo2: z.number().int(), onOxygen: z.number().int(), systolicBp: z.number().int(),
      pulse: z.number().int(), consciousness: z.number().int(), temperature: z.number().int(),
    }),
    band: z.enum(['low', 'low-medium', 'medium', 'high']),
    response: z.string().max(1000),
  }),
  z.object({ isComplete: z.literal(false), missing: z.array(z.string().max(40)) }),
]);
export type News2View = z.infer<typeof news2ViewSchema>;

export const entryProblemSchema = z.object({ field: z.string().max(40), message: z.string().max(300) });
export type EntryProblem = z.infer<typeof entryProblemSchema>;

/** Where a recorded version stands: queued on this device, or accepted by the central record. */
export const uploadStateSchema = z.enum(['not-recorded', 'waiting', 'uploaded']);

export const observationSetViewSchema = observationSetDocSchema.extend({
  /** The latest state: 'draft' until recorded; a draft correction of a recorded set keeps its recorded status. */
  status: setStatusSchema,
  news2: news2ViewSchema,
  problems: z.array(entryProblemSchema),
  upload: uploadStateSchema,
});
export type ObservationSetView = z.infer<typeof observationSetViewSchema>;

export const triageCheckSchema = z.object({ severity: z.enum(['warning', 'info']), text: z.string().max(500) });
export type TriageCheck = z.infer<typeof triageCheckSchema>;

/** The ATMIST handover: the parts built from the record and the sets, with what the crew added. */
export const handoverViewSchema = z.object({
  entries: handoverEntriesSchema,
  age: z.string().max(200),
  /** The latest observations and the NEWS2 trend, one line each. */
  signs: z.array(z.string().max(300)),
  status: z.enum(['draft', 'final', 'amended']),
});
export type HandoverView = z.infer<typeof handoverViewSchema>;

export const triageViewSchema = z.object({
  triageId: z.string(),
  patient: z.object({
    patientId: z.string(),
    name: z.string().max(2000),
    nhsNumber: z.string().nullable(),
    birthDate: z.string().nullable(),
    gender: z.string().nullable(),
    isUnidentified: z.boolean(),
  }),
  /** Issue #13: linked from a temporary identity ("Unknown patient — …"), and whether the link can still be undone. */
  linkedFrom: z.object({ name: z.string().max(2000), linkedAt: isoTime, canUndo: z.boolean() }).nullable().optional(),
  incidentId: z.string().nullable(),
  startedAt: isoTime,
  startedBy: staffRefSchema,
  state: z.enum(['in-progress', 'finished']),
  finishedAt: isoTime.nullable(),
  sets: z.array(observationSetViewSchema),
  disposition: dispositionSchema,
  /** Checks of the disposition against the resuscitation decision and care plans. */
  checks: z.array(triageCheckSchema),
  handover: handoverViewSchema,
  /** The record documents an 88–92% target (so Scale 2 may be chosen "from the record"), with where. */
  scale2FromRecord: z.string().max(500).nullable(),
  resuscitationHeadline: z.string().max(500),
  /** Resources recorded here still waiting for the central record. */
  waitingToUpload: z.number().int().nonnegative(),
  updatedAt: isoTime,
});
export type TriageView = z.infer<typeof triageViewSchema>;

export const triageSummarySchema = z.object({
  triageId: z.string(),
  startedAt: isoTime,
  startedBy: staffRefSchema,
  state: z.enum(['in-progress', 'finished']),
  recordedSets: z.number().int().nonnegative(),
  latestNews2: z.number().int().nullable(),
  waitingToUpload: z.number().int().nonnegative(),
});
export type TriageSummary = z.infer<typeof triageSummarySchema>;
