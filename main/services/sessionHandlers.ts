import type { Patient, Task } from '@medplum/fhirtypes';
import type { MethodName } from '../../contract/methods';
import { type AccessPurpose, type AccessSubject, decideAccess, decideSearch, denyMessage } from '../../core/access';
import { type BreakGlassGrant, breakGlassPurpose, breakGlassRefusalMessage, requestBreakGlass } from '../../core/accessBreakGlass';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import { referenceId } from '../../core/fhirText';
import { DEFAULT_STALE_AFTER_MS, buildPatientRecordView, patientSummary } from '../../core/recordView';
import { FhirClientError } from '../../sync/fhirClient';
import type { CentralSearch } from '../../sync/syncEngine';
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

/** A failed central search as a typed error (no PHI); only this device's records were searched. */
function centralSearchError(error: unknown): AppError {
  if (!(error instanceof FhirClientError)) return error instanceof AppError ? error : new AppError('internal', 'The search could not be completed.');
  if (error.reason === 'auth') return new AppError('server-error', 'The central record refused this device’s credentials, so only this device’s records were searched. Sign in online again, then search again.');
  if (error.reason === 'bad-data') return new AppError('server-error', 'The central record answered with a patient record OnScene could not read. It has not been added to this device.');
  return new AppError('server-error', 'The central record reported an error, so only this device’s records were searched. Try again in a moment.');
}

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

  const cachedByNhsNumber = async (nhsNumber: string) =>
    (await state.repo().ofType<Patient>('Patient')).filter(({ resource }) =>
      resource.identifier?.some((i) => i.system === SYSTEMS.nhsNumber && i.value === nhsNumber),
    );

  /**
   * patients.lookup, scope 3 (DESIGN §4): the central record is searched only for a number not
   * cached. A cached patient is already held by a scope and kept current by every run, and an exact
   * NHS number names one person, so going online for it would make a call handler wait for a whole
   * sync (and send the number off the device) for nothing new. For an uncached number, online:
   * every central match is held for search (12 h, then purged), a run that starts after the holds
   * brings each one whole, safety tier first (Patient, Consent, Flag, allergies, care plans before
   * the rest), and the answer is read from the cache as before, so it lists only what record.open
   * can then open. Offline: the cache's answer stands (found: []); the contract has no offline flag,
   * so the sync status says offline instead (set by the engine's probe).
   */
  async function lookupCentral(nhsNumber: string) {
    const engine = state.sync();
    if (!engine) return [];
    let central: CentralSearch;
    try {
      central = await engine.searchCentral(nhsNumber);
    } catch (error) {
      throw centralSearchError(error);
    }
    if (!central.isOnline || central.patientIds.length === 0) return [];
    for (const patientId of central.patientIds) await engine.holdForSearch(patientId);
    const status = await state.syncIncludingNewHolds();
    const found = await cachedByNhsNumber(nhsNumber);
    if (found.length > 0) return found;
    // On the central record but not brought here: an empty answer would say "no such patient".
    // The holds stay, so the next run brings the record and the same lookup then answers from the cache.
    if (status.state === 'offline') throw new AppError('offline', 'This patient is on the central record, but the connection dropped before their record reached this device. Search again when there is signal.');
    throw new AppError('server-error', 'This patient is on the central record, but their record could not be brought to this device yet. Search again in a moment.');
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
      // Searching shows names, so it is audited before the answer leaves (DESIGN §5). Written first:
      // if it fails, nothing is returned, the number never leaves the device and nothing is fetched.
      audit(session, 'patients.search', null, allowed.purpose);
      let found = await cachedByNhsNumber(nhsNumber);
      if (found.length === 0) found = await lookupCentral(nhsNumber);
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
