import { z } from 'zod';
import { CARE_PLAN_KINDS, STAFF_ROLES } from '../core/fhirCodes';

/** ISO 8601 timestamp string. */
const isoTime = z.string().min(10).max(40);
const shortText = z.string().max(2000);

export const staffRoleSchema = z.enum(STAFF_ROLES);

export const userSummarySchema = z.object({
  userId: z.string().min(1).max(64),
  displayName: z.string().max(200),
  role: staffRoleSchema,
  vehicle: z.string().max(40).nullable(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

/** When an item was last confirmed by the central record (LESSONS: per-item freshness). */
const freshness = { syncedAt: isoTime, isPossiblyStale: z.boolean() };

export const resuscitationStatusSchema = z.enum(['dnacpr', 'respect-not-for-cpr', 'respect-for-cpr', 'none-recorded']);
export type ResuscitationStatus = z.infer<typeof resuscitationStatusSchema>;

export const resuscitationViewSchema = z.object({
  status: resuscitationStatusSchema,
  headline: shortText,
  decidedAt: isoTime.nullable(),
  decidedBy: shortText.nullable(),
  note: shortText.nullable(),
  syncedAt: isoTime.nullable(),
  isPossiblyStale: z.boolean(),
});
export type ResuscitationView = z.infer<typeof resuscitationViewSchema>;

export const alertViewSchema = z.object({
  id: z.string(),
  category: shortText,
  text: shortText,
  isSafetyWarning: z.boolean(),
  ...freshness,
});
export const allergyViewSchema = z.object({
  id: z.string(),
  substance: shortText,
  reaction: shortText.nullable(),
  criticality: z.enum(['low', 'high', 'unable-to-assess']).nullable(),
  ...freshness,
});
export const carePlanViewSchema = z.object({
  id: z.string(),
  kind: z.enum(CARE_PLAN_KINDS).nullable(),
  title: shortText,
  description: shortText,
  activities: z.array(shortText),
  author: shortText.nullable(),
  ...freshness,
});
export const listItemViewSchema = z.object({ id: z.string(), text: shortText, detail: shortText.nullable(), ...freshness });

export const patientSummarySchema = z.object({
  patientId: z.string(),
  nhsNumber: z.string().nullable(),
  name: shortText,
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  address: shortText.nullable(),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

export const patientRecordViewSchema = z.object({
  patient: patientSummarySchema,
  resuscitation: resuscitationViewSchema,
  alerts: z.array(alertViewSchema),
  allergies: z.array(allergyViewSchema),
  carePlans: z.array(carePlanViewSchema),
  medications: z.array(listItemViewSchema),
  conditions: z.array(listItemViewSchema),
  syncedAt: isoTime.nullable(),
  isOffline: z.boolean(),
});
export type PatientRecordView = z.infer<typeof patientRecordViewSchema>;
export type AlertView = z.infer<typeof alertViewSchema>;
export type AllergyView = z.infer<typeof allergyViewSchema>;
export type CarePlanView = z.infer<typeof carePlanViewSchema>;
export type ListItemView = z.infer<typeof listItemViewSchema>;

export const incidentSummarySchema = z.object({
  incidentId: z.string(),
  incidentNumber: z.string(),
  priority: shortText,
  description: shortText,
  status: z.string(),
  assignedAt: isoTime.nullable(),
  patient: patientSummarySchema.nullable(),
  syncedAt: isoTime,
});
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

export const syncFailureReasonSchema = z.enum(['offline', 'auth', 'server-error', 'bad-data', 'storage']);
export const syncStatusSchema = z.object({
  state: z.enum(['idle', 'syncing', 'offline', 'error']),
  isOnline: z.boolean(),
  lastSuccessAt: isoTime.nullable(),
  lastAttemptAt: isoTime.nullable(),
  lastFailure: z.object({ reason: syncFailureReasonSchema, message: shortText, at: isoTime }).nullable(),
  /** Honest progress: done never exceeds total; total is null while unknown. */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable(), phase: shortText }),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const auditEntryViewSchema = z.object({
  seq: z.number().int(),
  recordedAt: isoTime,
  action: z.string(),
  userId: z.string(),
  patientId: z.string().nullable(),
  purpose: shortText.nullable(),
  outcome: z.enum(['success', 'failure']),
  isOffline: z.boolean(),
});
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;
