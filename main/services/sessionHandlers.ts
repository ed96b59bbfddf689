import type { Patient, Task } from '@medplum/fhirtypes';
import type { MethodName } from '../../contract/methods';
import { type AccessPurpose, type AccessSubject, decideAccess, decideSearch, denyMessage } from '../../core/access';
import { type BreakGlassGrant, breakGlassPurpose, breakGlassRefusalMessage, requestBreakGlass } from '../../core/accessBreakGlass';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import { referenceId } from '../../core/fhirText';
import { DEFAULT_STALE_AFTER_MS, buildPatientRecordView, patientSummary } from '../../core/recordView';
import type { CallContext, Handlers } from '../dispatch';
import type { AppState } from './appState';
import type { Session } from './sessions';

const OPEN_STATUSES = new Set(['requested', 'received', 'accepted', 'ready', 'in-progress']);

type SecurityMethod =
  | 'session.signInStatus'
  | 'session.signInOnline'
  | 'session.policy'
  | 'session.heartbeat'
  | 'session.lock'
  | 'session.unlock'
  | 'session.pendingWork'
  | 'device.status'
  | 'access.breakGlass'
  | 'patients.lookup'
  | 'record.open'
  | 'record.openWithPurpose';
export type SecurityHandlers = Pick<Handlers, SecurityMethod & MethodName>;

function requireSession(context: CallContext): Session {
  if (!context.session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
  return context.session;
}

/**
 * Handlers of the issue #4 methods. Break-glass grants live in memory: they are short-lived by
 * design, and the durable record of each is its audit entry (action "break-glass", flagged for review).
 */
export function createSecurityHandlers(state: AppState): SecurityHandlers {
  const grants: BreakGlassGrant[] = [];
  const audit = (session: Session, action: AuditAction, patientId: string | null, purpose: string | null, outcome: 'success' | 'failure' = 'success') =>
    state.appendAudit({ user: session.user, practitionerId: session.practitionerId, action, patientId, purpose, outcome });

  async function subject(session: Session): Promise<AccessSubject> {
    const assigned = new Map<string, string>();
    for (const { resource } of await state.repo().ofType<Task>('Task')) {
      const patientId = referenceId(resource.for, 'Patient');
      if (resource.id && patientId && OPEN_STATUSES.has(resource.status)) assigned.set(resource.id, patientId);
    }
    return { userId: session.user.userId, role: session.user.role, assignedIncidents: assigned, grants };
  }

  /**
   * The one record-opening flow (DESIGN §2): access rule (with this device's break-glass grants),
   * then the audit entry with the patient's NHS number, then the view. record.open (incident only)
   * and record.openWithPurpose both come here, so they cannot drift apart.
   */
  async function openRecord(session: Session, patientId: string, purpose: AccessPurpose) {
    const decision = decideAccess(await subject(session), patientId, purpose, state.now());
    if (!decision.allowed) {
      audit(session, 'record.open', patientId, purpose.kind === 'incident' ? `incident ${purpose.incidentId}` : purpose.kind, 'failure');
      throw new AppError('forbidden', denyMessage(decision.reason));
    }
    const repo = state.repo();
    const patient = await repo.get<Patient>('Patient', patientId);
    if (!patient) throw new AppError('not-found', 'This patient’s record is not on this device yet. Try again when sync has finished.');
    const view = buildPatientRecordView(patient, await repo.forPatient(patientId), {
      now: state.now(),
      isOffline: !state.sync()?.status().isOnline,
      staleAfterMs: DEFAULT_STALE_AFTER_MS,
      // When Consent was last confirmed, and any unreadable safety resource: "none recorded" needs both.
      ...(await repo.recordViewFacts(patientId)),
    });
    // No entry, no data: written (durably) before the view is returned.
    state.appendAudit({
      user: session.user,
      practitionerId: session.practitionerId,
      action: 'record.open',
      patientId,
      purpose: decision.purpose,
      outcome: 'success',
      patientNhsNumber: view.patient.nhsNumber,
    });
    return view;
  }

  const policyMinutes = () => Math.max(1, Math.round(state.security.policy.breakGlassMs / 60_000));

  return {
    'session.signInStatus': async ({ userId }) => state.security.signInService.status(userId),
    'session.signInOnline': async ({ userId, pin }) => {
      const session = await state.signIn(userId, pin, 'online');
      return { sessionToken: session.token, user: session.user };
    },
    'session.policy': async () => ({ idleLockMs: state.security.policy.idleLockMs, breakGlassMinutes: policyMinutes() }),
    'session.heartbeat': async (_params, context) => {
      state.sessions.touch(requireSession(context).token);
      return {};
    },
    'session.lock': async ({ reason }, context) => {
      state.security.lock(requireSession(context), reason);
      return {};
    },
    'session.unlock': async ({ pin }, context) => ({ user: (await state.security.unlock(requireSession(context), pin)).user }),
    'session.pendingWork': async (_params, context) => state.security.pendingWork(requireSession(context)),
    'device.status': async () => state.security.deviceStatus(),
    'access.breakGlass': async ({ patientId, reason, reasonText }, context) => {
      const session = requireSession(context);
      const outcome = requestBreakGlass({ userId: session.user.userId, role: session.user.role, patientId, reason, reasonText }, state.now(), state.security.policy.breakGlassMs);
      if (!outcome.ok) {
        audit(session, 'break-glass', patientId, `refused: ${outcome.refusal}`, 'failure');
        throw new AppError(outcome.refusal === 'role-not-permitted' ? 'forbidden' : 'bad-request', breakGlassRefusalMessage(outcome.refusal));
      }
      // Audited before the grant exists: no entry, no access (DESIGN §5).
      audit(session, 'break-glass', patientId, breakGlassPurpose(outcome.grant));
      grants.push(outcome.grant);
      const { grantedAt, expiresAt } = outcome.grant;
      return { patientId, reason, grantedAt, expiresAt, isFlaggedForReview: true as const };
    },
    'patients.lookup': async ({ nhsNumber, purpose }, context) => {
      const session = requireSession(context);
      const allowed = decideSearch(session.user.role, purpose);
      if (!allowed.allowed) throw new AppError('forbidden', denyMessage(allowed.reason));
      const found = (await state.repo().ofType<Patient>('Patient')).filter(({ resource }) =>
        resource.identifier?.some((i) => i.system === SYSTEMS.nhsNumber && i.value === nhsNumber),
      );
      // Searching shows names, so it is audited before the answer leaves (DESIGN §5).
      audit(session, 'patients.search', null, allowed.purpose);
      const who = await subject(session);
      return {
        patients: found.map(({ resource }) => {
          const summary = patientSummary(resource);
          const decision = decideAccess(who, summary.patientId, purpose ?? { kind: 'break-glass' }, state.now());
          return { patientId: summary.patientId, nhsNumber: summary.nhsNumber, name: summary.name, birthDate: summary.birthDate, needsBreakGlass: !decision.allowed };
        }),
      };
    },
    'record.open': async ({ patientId, incidentId }, context) => openRecord(requireSession(context), patientId, { kind: 'incident', incidentId }),
    'record.openWithPurpose': async ({ patientId, purpose }, context) => openRecord(requireSession(context), patientId, purpose as AccessPurpose),
  } satisfies SecurityHandlers;
}
