import { z } from 'zod';
import { activeCallSchema, patientQuerySchema, patientSearchResultSchema } from '../core/patientSearchViews';
import { accessPurposeSchema } from '../core/securityViews';
import { triageViewSchema } from '../core/triageViews';

export * from '../core/patientSearchViews';

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');
/** As typed; main checks it against the configured pattern (main/config.ts `calls.referencePattern`). */
const reference = z.string().trim().min(1, 'Enter the call reference').max(64);

/**
 * Issue #13: finding a patient, the 111 call, and linking an unidentified patient. Every search is
 * audited with its purpose before it answers (refusals too); a result list shows only name, age,
 * partial address and why it matched until the purpose allows opening.
 */
export const searchMethods = {
  /** Searches this device's index, and the central record when there is signal; results merged. */
  'patients.search': {
    params: z.object({ query: patientQuerySchema, purpose: accessPurposeSchema, includeCentral: z.boolean().default(true) }).strict(),
    result: patientSearchResultSchema,
    needsSession: true,
  },
  /** A central result not on this device: held for search (12 h) and brought whole, safety tier first. */
  'patients.fetch': {
    params: z.object({ patientId: id, purpose: accessPurposeSchema }).strict(),
    result: z.object({ isOnDevice: z.literal(true) }),
    needsSession: true,
  },
  /** The call or incident this session works on, and the reference format main accepts. */
  'calls.current': {
    params: z.object({}).strict(),
    result: z.object({ call: activeCallSchema.nullable(), referencePattern: z.string().max(200), referenceHint: z.string().max(200) }),
    needsSession: true,
  },
  /** A 111 call handler takes a call: its reference becomes the purpose of every search and open. */
  'calls.start': { params: z.object({ callReference: reference }).strict(), result: activeCallSchema, needsSession: true },
  /** A clinical adviser joins a call started on this device, or an incident on this device or the central record. */
  'calls.join': { params: z.object({ reference }).strict(), result: activeCallSchema, needsSession: true },
  /** Ends the call: main forgets the purpose; searches and opens under it are refused from now on. */
  'calls.end': { params: z.object({}).strict(), result: z.object({}), needsSession: true },
  /** Moves an unidentified patient's triage to the patient found (before upload), or links them (after). */
  'triage.linkPatient': { params: z.object({ triageId: id, patientId: id }).strict(), result: triageViewSchema, needsSession: true },
  /** Undoes a link while nothing of it has been uploaded. */
  'triage.unlinkPatient': { params: z.object({ triageId: id }).strict(), result: triageViewSchema, needsSession: true },
} as const;

/** Why a record is being searched for or opened, as the UI sends it. */
export type AccessPurposeInput = z.input<typeof accessPurposeSchema>;
