import { z } from 'zod';
import { STAFF_ROLES } from './fhirCodes';
import { patientSummarySchema } from './record/schemas';

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

// The record view (issue #11) lives beside its readers; re-exported so the contract sees it here.
export * from './record/schemas';

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

/** Why the last sync needs attention: 'conflict' = a local edit met a newer server version; 'clock' = this device's clock is wrong. */
export const syncFailureReasonSchema = z.enum(['offline', 'auth', 'server-error', 'bad-data', 'storage', 'conflict', 'clock']);
const count = z.number().int().nonnegative();

/** Progress of one priority tier of one scope, in resource types: complete only when every type is fetched. */
export const syncTierProgressSchema = z.object({
  tier: z.enum(['safety', 'clinical', 'history']),
  done: count,
  total: count,
  isComplete: z.boolean(),
});
/** Progress of one scope (DESIGN §4): incident patients first, then the area caseload, then patients opened by search. */
export const syncScopeProgressSchema = z.object({
  scope: z.enum(['incident', 'area', 'search']),
  patients: count,
  tiers: z.array(syncTierProgressSchema),
  lastCompleteAt: isoTime.nullable(),
});
export const syncStatusSchema = z.object({
  state: z.enum(['idle', 'syncing', 'offline', 'error']),
  isOnline: z.boolean(),
  lastSuccessAt: isoTime.nullable(),
  lastAttemptAt: isoTime.nullable(),
  lastFailure: z.object({ reason: syncFailureReasonSchema, message: shortText, at: isoTime }).nullable(),
  /** Honest progress: done never exceeds total; total is null while unknown. */
  progress: z.object({ done: count, total: count.nullable(), phase: shortText }),
  // The fields below are optional only so that older callers still type-check; the engine always sends them.
  scopes: z.array(syncScopeProgressSchema).optional(),
  /** Local writes not yet accepted by the central record. */
  pendingUploads: count.optional(),
  /** Incoming resources set aside as unreadable, and local writes the server refused. */
  quarantined: count.optional(),
  /** Local edits that met a newer server version, kept with both versions for a clinician. */
  conflicts: count.optional(),
  /** Patients removed from this device in the last 7 days (see purged.list). */
  recentlyPurged: count.optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type SyncScopeProgress = z.infer<typeof syncScopeProgressSchema>;

/** A conflict awaiting review: what and when, and which fields differ (values are shown only in the audited record). */
export const syncConflictViewSchema = z.object({
  conflictId: z.string().max(300),
  resourceType: z.string().max(64),
  resourceId: z.string().max(128),
  patientId: z.string().max(128),
  at: isoTime,
  changedFields: z.array(z.string().max(64)),
  serverVersionId: z.string().max(64),
});
export type SyncConflictView = z.infer<typeof syncConflictViewSchema>;

/** A patient removed from this device, and why (no clinical content). */
export const purgedItemViewSchema = z.object({
  at: isoTime,
  patientId: z.string().max(128),
  /** 'restricted' and 'sharing-objection' (issue #11): part of a record removed, the patient kept. */
  reason: z.enum(['left-scope', 'deleted-on-server', 'expired', 'restricted', 'sharing-objection']),
  scopes: z.array(z.string().max(20)),
  resourceCount: count,
});
export type PurgedItemView = z.infer<typeof purgedItemViewSchema>;

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

/** Issue #3: an audit entry as a reviewer sees it (break-glass review, per-patient access report). */
export const auditReportEntrySchema = auditEntryViewSchema.extend({
  role: z.string().nullable(),
  /** HL7 v3 purpose of use: ETREAT (incident), BTG (break-glass), HCOMPL (audit review)... */
  purposeOfUse: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** The device clock was more than 5 minutes from the central record's when this was written. */
  isClockSkewed: z.boolean(),
  section: shortText.nullable(),
  /** Delivered to the central record. */
  isAcknowledged: z.boolean(),
  /** The central record refused it even sanitised: it is NOT in the central audit (issue #10). */
  isSetAside: z.boolean(),
});
export type AuditReportEntry = z.infer<typeof auditReportEntrySchema>;

export const auditReportSchema = z.object({
  entries: z.array(auditReportEntrySchema),
  /** Entries up to this sequence number were delivered and then purged here: the central record has them. */
  purgedThroughSeq: z.number().int().nonnegative(),
  /** False when older entries live only on the central record, or the limit cut the list short. */
  isComplete: z.boolean(),
  /** Entries of any kind the central record refused: shown first, because the central review cannot see them. */
  setAside: z.array(auditReportEntrySchema),
});
export type AuditReport = z.infer<typeof auditReportSchema>;
