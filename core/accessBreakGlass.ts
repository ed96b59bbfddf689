import type { StaffRole } from './fhirCodes';
import { hasHiddenCharacters, normaliseFreeText, realWordCount } from './freeText';

/**
 * Break-glass (DESIGN §6, issue #4): access outside the role's rules with a typed reason,
 * time-limited, audited and flagged for review. Decided here without the network, so it works
 * offline; the audit entry carries the reason to the privacy officer's review list.
 */
export const BREAK_GLASS_REASONS = ['emergency-care', 'patient-transfer', 'clinical-safety', 'other'] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number];

export const BREAK_GLASS_REASON_LABELS: Readonly<Record<BreakGlassReason, string>> = {
  'emergency-care': 'Emergency care of this patient, not on an incident assigned to me',
  'patient-transfer': 'Patient handed over to me by another crew or service',
  'clinical-safety': 'Clinical safety concern that needs this record now',
  other: 'Another reason (explain below)',
};

/** How long a grant lasts unless configured otherwise: one job, not a shift. */
export const DEFAULT_BREAK_GLASS_MS = 60 * 60_000;
export const BREAK_GLASS_TEXT_MIN = 10;
export const BREAK_GLASS_TEXT_MAX = 500;
/** A reason a reviewer can act on: at least this many words, not "xxxxxxxxxx" or "..........". */
export const BREAK_GLASS_MIN_WORDS = 3;

/** Roles that may break the glass. Administrators have no clinical reason to see patient data, ever. */
export const mayBreakGlass = (role: StaffRole): boolean => role !== 'administrator';

export type BreakGlassGrant = Readonly<{
  userId: string;
  patientId: string;
  reason: BreakGlassReason;
  /** The user's own words; kept only in the encrypted store and the audit trail, never in logs. */
  reasonText: string;
  grantedAt: string;
  expiresAt: string;
}>;

export type BreakGlassRequest = Readonly<{
  userId: string;
  role: StaffRole;
  patientId: string;
  reason: BreakGlassReason;
  reasonText: string;
}>;

export type BreakGlassOutcome =
  | Readonly<{ ok: true; grant: BreakGlassGrant }>
  | Readonly<{ ok: false; refusal: BreakGlassRefusal }>;

export type BreakGlassRefusal = 'role-not-permitted' | 'reason-too-short' | 'reason-too-long' | 'reason-not-words' | 'reason-hidden-characters';

/** Grants break-glass to one user for one patient until `now + durationMs`, or says why not. */
export function requestBreakGlass(request: BreakGlassRequest, now: Date, durationMs: number = DEFAULT_BREAK_GLASS_MS): BreakGlassOutcome {
  if (!mayBreakGlass(request.role)) return { ok: false, refusal: 'role-not-permitted' };
  const text = normaliseFreeText(request.reasonText);
  if (hasHiddenCharacters(text)) return { ok: false, refusal: 'reason-hidden-characters' };
  if (text.length < BREAK_GLASS_TEXT_MIN) return { ok: false, refusal: 'reason-too-short' };
  if (text.length > BREAK_GLASS_TEXT_MAX) return { ok: false, refusal: 'reason-too-long' };
  if (realWordCount(text) < BREAK_GLASS_MIN_WORDS) return { ok: false, refusal: 'reason-not-words' };
  return {
    ok: true,
    grant: {
      userId: request.userId,
      patientId: request.patientId,
      reason: request.reason,
      reasonText: text,
      grantedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + durationMs).toISOString(),
    },
  };
}

/** The user's live grant for this patient, if any (another user's grant never counts). */
export function activeGrant(grants: readonly BreakGlassGrant[], userId: string, patientId: string, now: Date): BreakGlassGrant | null {
  const at = now.getTime();
  return (
    grants.find((g) => g.userId === userId && g.patientId === patientId && Date.parse(g.grantedAt) <= at && at < Date.parse(g.expiresAt)) ?? null
  );
}

/** The audit purpose text for a break-glass access: reason code and words, so review needs no other source. */
export const breakGlassPurpose = (grant: BreakGlassGrant): string => `break-glass (${grant.reason}): ${grant.reasonText}`;

/** Plain-language refusal (no PHI). */
export function breakGlassRefusalMessage(refusal: BreakGlassRefusal): string {
  switch (refusal) {
    case 'role-not-permitted':
      return 'Administrators cannot use emergency access to patient records.';
    case 'reason-too-short':
      return `Explain why you need this record (at least ${BREAK_GLASS_TEXT_MIN} characters).`;
    case 'reason-too-long':
      return `Keep the explanation under ${BREAK_GLASS_TEXT_MAX} characters.`;
    case 'reason-not-words':
      return `Explain in words why you need this record (at least ${BREAK_GLASS_MIN_WORDS} words), so the review can understand it.`;
    case 'reason-hidden-characters':
      return 'The explanation contains hidden or control characters. Type it again in plain words.';
  }
}
