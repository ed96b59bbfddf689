import type { AccessPurpose } from '../../core/access';
import { breakGlassPurpose, breakGlassRefusalMessage, requestBreakGlass } from '../../core/accessBreakGlass';
import { AppError } from '../../core/errors';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type RecordHandlers = Readonly<{
  'record.open': Handlers['record.open'];
  'record.openWithPurpose': Handlers['record.openWithPurpose'];
  'access.breakGlass': Handlers['access.breakGlass'];
}>;

/** Opening a record (for an incident, or with a purpose) and emergency access (break-glass). */
export function createRecordHandlers(s: Services): RecordHandlers {
  return {
    'record.open': async ({ patientId, incidentId }, context) => s.access.openRecord(requireSession(context), patientId, { kind: 'incident', incidentId }),
    'record.openWithPurpose': async ({ patientId, purpose }, context) => s.access.openRecord(requireSession(context), patientId, purpose as AccessPurpose),
    'access.breakGlass': async ({ patientId, reason, reasonText }, context) => {
      const session = requireSession(context);
      // Named by NHS number too, so the per-patient report finds every emergency access (issue #10).
      const who = { user: session.user, practitionerId: session.practitionerId, action: 'break-glass' as const, patientId, patientNhsNumber: await s.access.nhsNumberOf(patientId) };
      const outcome = requestBreakGlass({ userId: session.user.userId, role: session.user.role, patientId, reason, reasonText }, s.now(), s.config.policy.breakGlassMs);
      if (!outcome.ok) {
        await s.audit.recordedOrDeferred({ ...who, purpose: `refused: ${outcome.refusal}`, outcome: 'failure' });
        throw new AppError(outcome.refusal === 'role-not-permitted' ? 'forbidden' : 'bad-request', breakGlassRefusalMessage(outcome.refusal));
      }
      // Audited before the grant exists: no entry, no access (DESIGN §5).
      await s.audit.durableBeforeAnswer({ ...who, purpose: breakGlassPurpose(outcome.grant), outcome: 'success' });
      s.access.addGrant(outcome.grant);
      const { grantedAt, expiresAt } = outcome.grant;
      return { patientId, reason, grantedAt, expiresAt, isFlaggedForReview: true as const };
    },
  };
}
