import type { Patient, Task } from '@medplum/fhirtypes';
import type { IncidentSummary, UserSummary } from '../../contract/views';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import { referenceId } from '../../core/fhirText';
import { patientSummary } from '../../core/recordView';
import type { CallContext, Handlers } from '../dispatch';
import type { Session } from './sessions';
import type { AppState } from './appState';
import { createSecurityHandlers } from './sessionHandlers';
import { createAuditHandlers } from './auditHandlers';
import { createSyncHandlers } from './syncHandlers';

const OPEN_STATUSES = new Set(['requested', 'received', 'accepted', 'ready', 'in-progress']);

function requireSession(context: CallContext): Session {
  if (!context.session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
  return context.session;
}

/** The contract's handlers, one line of wiring each; the work lives in AppState. */
export function createHandlers(state: AppState): Handlers {
  const audit = (session: Session | null, user: UserSummary, action: AuditAction, patientId: string | null, purpose: string | null, outcome: 'success' | 'failure' = 'success') =>
    state.appendAudit({ user, practitionerId: session?.practitionerId ?? null, action, patientId, purpose, outcome });

  return {
    ...createSecurityHandlers(state), // issue #4: sign-in gates, lock, break-glass, device state, record.open(WithPurpose)
    ...createAuditHandlers(state), // issue #3: audit.mine, audit.breakGlassReview, audit.patientReport
    ...createSyncHandlers(state), // issue #6: conflicts.list, conflicts.resolve, purged.list
    'session.users': async () => ({ users: state.users.map((u) => u.summary) }),
    'session.signIn': async ({ userId, pin }) => {
      const session = await state.signIn(userId, pin);
      return { sessionToken: session.token, user: session.user };
    },
    'session.signOut': async (_params, context) => {
      const session = requireSession(context);
      // The session ends first: an audit failure must never keep someone signed in. The entry is
      // written now, or kept and written at the next unlock (appendOrDefer never throws).
      // The store stays open on purpose: other users' unsynced work and its sync carry on, and
      // their own sessions still need it (DESIGN §6: handover never deletes another user's work).
      state.sessions.end(session.token);
      await state.audit.appendOrDefer({ user: session.user, practitionerId: session.practitionerId, action: 'logout', patientId: null, purpose: null, outcome: 'success' });
      return {};
    },
    'session.current': async (_params, context) => ({ user: requireSession(context).user }),
    'incidents.list': async (_params, context) => {
      const session = requireSession(context);
      if (session.user.role === 'administrator') throw new AppError('forbidden', 'Administrators do not see patient data.');
      const repo = state.repo();
      const tasks = (await repo.ofType<Task>('Task')).filter((t) => OPEN_STATUSES.has(t.resource.status));
      const incidents: IncidentSummary[] = [];
      for (const { resource: task, syncedAt } of tasks) {
        const patientId = referenceId(task.for, 'Patient');
        const patient = patientId ? await repo.get<Patient>('Patient', patientId) : null;
        incidents.push({
          incidentId: task.id ?? '',
          incidentNumber: task.identifier?.find((i) => i.system === SYSTEMS.incidentNumber)?.value ?? task.id ?? '',
          priority: task.priority ?? 'routine',
          description: task.description ?? '',
          status: task.status,
          assignedAt: task.authoredOn ?? null,
          patient: patient ? patientSummary(patient.resource) : null,
          syncedAt,
        });
      }
      // No entry, no data: the list names patients, so it is audited before it leaves.
      audit(session, session.user, 'incidents.list', null, `vehicle ${state.config.vehicle}`);
      const status = state.sync()?.status();
      return { incidents, isOffline: !status?.isOnline, syncedAt: status?.lastSuccessAt ?? null };
    },
    'sync.status': async () => state.requireSync().status(),
    // Issue #3: audit is delivered inside the run, after the incident scope (or after a run that stopped early).
    'sync.run': async () => state.syncNow(),
  } satisfies Handlers;
}
