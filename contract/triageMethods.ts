import { z } from 'zod';
import {
  clinicalText,
  dispositionSchema,
  handoverEntriesSchema,
  observationEntriesSchema,
  spo2ScaleSchema,
  triageSummarySchema,
  triageViewSchema,
} from '../core/triageViews';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');
const isoTime = z.string().datetime({ offset: true });
const triage = { triageId: id };

/**
 * Issue #12: offline triage. Every save is kept in the encrypted store as entered and audited as
 * a write before it answers; recording a set, finishing and corrections queue FHIR resources in
 * the outbox. Each answers with the whole triage view, so the screen always shows what is stored.
 */
export const triageMethods = {
  /** Start triage for a patient of an incident (or with a break-glass grant). */
  'triage.start': {
    params: z.object({ patientId: id, incidentId: id.nullable() }).strict(),
    result: triageViewSchema,
    needsSession: true,
  },
  /** Start triage for a patient whose identity is not yet known: a local Patient is created. */
  'triage.startUnidentified': {
    params: z
      .object({
        incidentId: id.nullable(),
        description: clinicalText(200).pipe(z.string().min(1, 'must describe the patient')),
        gender: z.enum(['male', 'female', 'other', 'unknown']),
        estimatedAge: clinicalText(40),
      })
      .strict(),
    result: triageViewSchema,
    needsSession: true,
  },
  'triage.open': { params: z.object(triage).strict(), result: triageViewSchema, needsSession: true },
  /** Triage episodes recorded on this device for a patient (the record screen lists them). */
  'triage.list': {
    params: z.object({ patientId: id }).strict(),
    result: z.object({ triages: z.array(triageSummarySchema) }),
    needsSession: true,
  },
  /** A new, empty set of observations, taken now by the signed-in user. */
  'triage.addSet': { params: z.object(triage).strict(), result: triageViewSchema, needsSession: true },
  /** Saves a set's draft exactly as entered (also the draft of a correction of a recorded set). */
  'triage.saveSet': {
    params: z
      .object({
        ...triage,
        setId: id,
        takenAt: isoTime,
        entries: observationEntriesSchema,
        spo2Scale: spo2ScaleSchema,
        /** While correcting: its kind and reason as typed so far. */
        correction: z.object({ status: z.enum(['amended', 'entered-in-error']).nullable(), reason: clinicalText(500) }).strict().nullable().optional(),
      })
      .strict(),
    result: triageViewSchema,
    needsSession: true,
  },
  /** Records the set's draft: final (first time) or amended/entered-in-error (a correction, with its reason). */
  'triage.recordSet': {
    params: z
      .object({
        ...triage,
        setId: id,
        correction: z.object({ status: z.enum(['amended', 'entered-in-error']), reason: clinicalText(500).pipe(z.string().min(1, 'must give a reason')) }).strict().nullable(),
      })
      .strict(),
    result: triageViewSchema,
    needsSession: true,
  },
  /** Starts a correction of a recorded set: its draft becomes editable again, starting from the latest version. */
  'triage.correctSet': { params: z.object({ ...triage, setId: id }).strict(), result: triageViewSchema, needsSession: true },
  /** Drops a draft set that was never recorded (nothing of it has left the device). */
  'triage.discardDraft': { params: z.object({ ...triage, setId: id }).strict(), result: triageViewSchema, needsSession: true },
  'triage.saveDisposition': { params: z.object({ ...triage, disposition: dispositionSchema }).strict(), result: triageViewSchema, needsSession: true },
  'triage.saveHandover': { params: z.object({ ...triage, handover: handoverEntriesSchema }).strict(), result: triageViewSchema, needsSession: true },
  /** The crew is about to print the ATMIST handover: audited (a print is a disclosure) before the page prints. */
  'triage.printed': { params: z.object(triage).strict(), result: z.object({}), needsSession: true },
  /** Finishes the episode: the encounter with its disposition and the handover are queued for the central record. */
  'triage.finish': { params: z.object(triage).strict(), result: triageViewSchema, needsSession: true },
} as const;
