import type { AuditReport, UserSummary } from '../../contract/views';
import { AppError } from '../../core/errors';
import type { StaffRole } from '../../core/fhirCodes';
import type { CallContext, Handlers } from '../dispatch';
import type { AuditReportEntry, AuditRequest, AuditService } from './auditService';
import type { Session } from './sessions';

/**
 * Who may review other people's accesses: clinical leads (clinician) and IG staff
 * (administrator). Crews see only their own (audit.mine). Reports name patients by id only and
 * are themselves audited (BALP "Audit Log Used") before they are returned, audit.mine included.
 */
export const AUDIT_REVIEW_ROLES: readonly StaffRole[] = ['clinician', 'administrator'];

type AuditHandlerState = Readonly<{ audit: AuditService }>;

function reviewer(context: CallContext): Session {
  const session = context.session;
  if (!session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
  if (!AUDIT_REVIEW_ROLES.includes(session.user.role)) {
    throw new AppError('forbidden', 'Only clinical leads and information governance staff can see audit reports.');
  }
  return session;
}

const reportRequest = (user: UserSummary, practitionerId: string | null, patientId: string | null, purpose: string, count: number): AuditRequest => ({
  user,
  practitionerId,
  action: 'audit.report',
  patientId,
  purpose,
  outcome: 'success',
  detail: { count },
});

function report(audit: AuditService, entries: AuditReportEntry[], limit: number): AuditReport {
  const purgedThroughSeq = audit.purgedThroughSeq();
  return { entries, purgedThroughSeq, isComplete: purgedThroughSeq === 0 && entries.length < limit };
}

/** audit.mine, audit.breakGlassReview, audit.patientReport: spread into the handler map. */
export function createAuditHandlers(state: AuditHandlerState): Pick<Handlers, 'audit.mine' | 'audit.breakGlassReview' | 'audit.patientReport'> {
  return {
    'audit.mine': async ({ limit }, context) => {
      const session = context.session;
      if (!session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
      const entries = state.audit.mine(session.user.userId, limit);
      // The list names patients (by id), so it is audited like the other reports before it leaves.
      await state.audit.append(reportRequest(session.user, session.practitionerId, null, 'own access history', entries.length));
      return {
        entries: entries.map(({ seq, recordedAt, action, userId, patientId, purpose, outcome, isOffline }) => ({
          seq,
          recordedAt,
          action,
          userId,
          patientId,
          purpose,
          outcome,
          isOffline,
        })),
      };
    },
    'audit.breakGlassReview': async ({ limit }, context) => {
      const session = reviewer(context);
      const entries = state.audit.breakGlass(limit);
      await state.audit.append(reportRequest(session.user, session.practitionerId, null, 'break-glass review', entries.length));
      return report(state.audit, entries, limit);
    },
    'audit.patientReport': async ({ patientId, limit }, context) => {
      const session = reviewer(context);
      const entries = state.audit.forPatient(patientId, limit);
      await state.audit.append(reportRequest(session.user, session.practitionerId, patientId, 'patient access report', entries.length));
      return report(state.audit, entries, limit);
    },
  };
}
