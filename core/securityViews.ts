import { z } from 'zod';
import { BREAK_GLASS_REASONS, BREAK_GLASS_TEXT_MAX } from './accessBreakGlass';
import { hasHiddenCharacters, normaliseFreeText } from './freeText';

/** Schemas of the security methods (issue #4): sign-in gates, locking, break-glass, device state. */

const isoTime = z.string().min(10).max(40);
const fhirId = z.string().min(1).max(128).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');

/** Whether a user may try a PIN now, and if not, until when or what to do. */
export const signInGateSchema = z.object({
  state: z.enum(['open', 'wait', 'online-required']),
  /** When the wait ends (state "wait"). */
  retryAt: isoTime.nullable(),
  waitMs: z.number().int().nonnegative().nullable(),
  reason: z.enum(['too-many-failures', 'reauth-overdue', 'never-online']).nullable(),
  /** Plain-language sentence for the sign-in screen; empty when open. */
  message: z.string().max(300),
  /** When offline access ends without an online sign-in. */
  reauthDueAt: isoTime.nullable(),
  isEnrolled: z.boolean(),
});
export type SignInGateView = z.infer<typeof signInGateSchema>;

export const deviceStatusSchema = z.object({
  state: z.enum(['ready', 'wiped', 'needs-recovery', 'not-enrolled']),
  /** Plain-language explanation for the sign-in screen; empty when ready. */
  message: z.string().max(500),
  wipedAt: isoTime.nullable(),
  /** Encrypted files kept aside by a recovery, never deleted (how many). */
  keptFiles: z.number().int().nonnegative(),
});
export type DeviceStatusView = z.infer<typeof deviceStatusSchema>;

export const sessionPolicySchema = z.object({
  idleLockMs: z.number().int().positive(),
  breakGlassMinutes: z.number().int().positive(),
});
export type SessionPolicyView = z.infer<typeof sessionPolicySchema>;

export const pendingWorkSchema = z.object({
  /** Records made on this device by this user and not yet accepted by the central record. */
  unsyncedRecords: z.number().int().nonnegative(),
  /** This user's audit entries not yet acknowledged by the central record. */
  unsentAudit: z.number().int().nonnegative(),
});
export type PendingWorkView = z.infer<typeof pendingWorkSchema>;

export const breakGlassReasonSchema = z.enum(BREAK_GLASS_REASONS);

export const breakGlassParamsSchema = z
  .object({
    patientId: fhirId,
    reason: breakGlassReasonSchema,
    // Normalised and checked at the boundary (issue #10): no control or hidden characters reach the audit.
    reasonText: z
      .string()
      .min(1)
      .max(BREAK_GLASS_TEXT_MAX * 2)
      .transform(normaliseFreeText)
      .pipe(z.string().min(1).max(BREAK_GLASS_TEXT_MAX).refine((text) => !hasHiddenCharacters(text), 'must not contain control or hidden characters')),
  })
  .strict();

export const breakGlassGrantSchema = z.object({
  patientId: z.string(),
  reason: breakGlassReasonSchema,
  grantedAt: isoTime,
  expiresAt: isoTime,
  /** Every break-glass access is flagged for the privacy officer's review. */
  isFlaggedForReview: z.literal(true),
});
export type BreakGlassGrantView = z.infer<typeof breakGlassGrantSchema>;

/** Why a record is being opened: the purpose of use the access rule and the audit need. */
export const accessPurposeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident'), incidentId: fhirId }).strict(),
  z.object({ kind: z.literal('call'), callReference: z.string().min(1).max(32) }).strict(),
  z.object({ kind: z.literal('break-glass') }).strict(),
]);

export const patientLookupSchema = z.object({
  patientId: z.string(),
  nhsNumber: z.string().nullable(),
  name: z.string().max(2000),
  birthDate: z.string().nullable(),
  /** Whether opening needs break-glass for this user and purpose. */
  needsBreakGlass: z.boolean(),
});
export type PatientLookupView = z.infer<typeof patientLookupSchema>;
