import { mayReviewAudit } from '../../core/access';
import type { AuditReport, UserSummary } from '../../core/views';
import { AppError } from '../../core/errors';
import type { CallContext, Handlers } from '../dispatch';
import type { AuditReportEntry, AuditRequest } from '../services/auditService';
import type { Session } from '../services/sessions';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type AuditHandlers = Readonly<{
  'audit.mine': Handlers['audit.mine'];
  'audit.breakGlassReview': Handlers['audit.breakGlassReview'];
  'audit.patientReport': Handlers['audit.patientReport'];
}>;

function reviewer(context: CallContext): Session {
  const session = requireSession(context);
  if (!mayReviewAudit(session.user.role)) throw new AppError('forbidden', 'Only clinical leads and information governance staff can see audit reports.');
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

/**
 * Crews see their own accesses; clinical leads and IG staff review others'. Reports name patients
 * by id only and are themselves audited (BALP "Audit Log Used") before they are returned.
 */
export function createAuditHandlers(s: Services): AuditHandlers {
  const report = (entries: AuditReportEntry[], limit: number): AuditReport => {
    const purgedThroughSeq = s.auditReports.purgedThroughSeq();
    return { entries, purgedThroughSeq, isComplete: purgedThroughSeq === 0 && entries.length < limit, setAside: s.auditReports.setAside(100) };
  };
  return {
    'audit.mine': async ({ limit }, context) => {
      const session = requireSession(context);
      const entries = s.auditReports.mine(session.user.userId, limit);
      await s.audit.durableBeforeAnswer(reportRequest(session.user, session.practitionerId, null, 'own access history', entries.length));
      return {
        entries: entries.map(({ seq, recordedAt, action, userId, patientId, purpose, outcome, isOffline }) => ({ seq, recordedAt, action, userId, patientId, purpose, outcome, isOffline })),
      };
    },
    'audit.breakGlassReview': async ({ limit }, context) => {
      const session = reviewer(context);
      const entries = s.auditReports.breakGlass(limit);
      await s.audit.durableBeforeAnswer(reportRequest(session.user, session.practitionerId, null, 'break-glass review', entries.length));
      return report(entries, limit);
    },
    'audit.patientReport': async ({ patientId, limit }, context) => {
      const session = reviewer(context);
      const entries = s.auditReports.forPatient(patientId, limit);
      await s.audit.durableBeforeAnswer(reportRequest(session.user, session.practitionerId, patientId, 'patient access report', entries.length));
      return report(entries, limit);
    },
  };
}
