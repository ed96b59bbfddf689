import { z } from 'zod';
import { purgedItemViewSchema, syncFailureReasonSchema, syncStatusSchema } from './views';

/**
 * Issue #14: the sync detail screen's view. Everything here is plain language made in main; it
 * names a patient only where the caller may see that patient (core/access.ts mayListPatientItem),
 * and counts the rest without naming them.
 */
const isoTime = z.string().min(10).max(40);
const text = z.string().max(2000);
const count = z.number().int().nonnegative();

export const syncTierDetailSchema = z.object({
  tier: z.enum(['safety', 'clinical', 'history']),
  label: text,
  done: count,
  total: count,
  isComplete: z.boolean(),
});

/** One scope: how many patients, each tier's progress in resource types, and what that means. */
export const syncScopeDetailSchema = z.object({
  scope: z.enum(['incident', 'area', 'search']),
  label: text,
  patients: count,
  tiers: z.array(syncTierDetailSchema),
  lastCompleteAt: isoTime.nullable(),
  /** "Fetching now", "Complete", "Stopped part way: …": never "complete" before every tier is. */
  state: text,
});

export const uploadWaitReasonSchema = z.enum(['offline', 'next-run', 'uploading', 'refused', 'conflict']);

/** A record made on this device that the central record does not have yet. */
export const uploadWaitSchema = z.object({
  key: z.string().max(300),
  what: text,
  /** Null when the caller may not see this patient (or the patient is not named on the device). */
  patientName: z.string().max(200).nullable(),
  patientId: z.string().max(128).nullable(),
  since: isoTime,
  why: uploadWaitReasonSchema,
  whyText: text,
  /** Conflicts: the review queue's id, so the screen can go straight to the review. */
  conflictId: z.string().max(300).nullable(),
});

/** Something that could not be read (incoming) or was refused (outgoing), in plain language. */
export const quarantinedItemSchema = z.object({
  key: z.string().max(300),
  at: isoTime,
  what: text,
  patientName: z.string().max(200).nullable(),
  whyText: text,
});

export const purgedDetailSchema = purgedItemViewSchema.extend({ whyText: text });

export const syncDetailViewSchema = z.object({
  status: syncStatusSchema,
  /** What a run is fetching now; null when no run is in progress. */
  fetching: text.nullable(),
  scopes: z.array(syncScopeDetailSchema),
  uploads: z.array(uploadWaitSchema),
  quarantined: z.array(quarantinedItemSchema),
  lastFailure: z.object({ reason: syncFailureReasonSchema, message: text, whatToDo: text, at: isoTime }).nullable(),
  purged: z.array(purgedDetailSchema),
  /** Items about patients this user may not see: counted, never named. */
  notShown: z.object({ uploads: count, quarantined: count, purged: count }),
});

export type SyncDetailView = z.infer<typeof syncDetailViewSchema>;
export type UploadWait = z.infer<typeof uploadWaitSchema>;
export type QuarantinedItem = z.infer<typeof quarantinedItemSchema>;
export type PurgedDetail = z.infer<typeof purgedDetailSchema>;
export type SyncScopeDetail = z.infer<typeof syncScopeDetailSchema>;
