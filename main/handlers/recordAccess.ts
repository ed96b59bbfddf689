import type { Patient, Task } from '@medplum/fhirtypes';
import { type AccessPurpose, type AccessSubject, decideAccess, denyMessage, isOpenIncidentStatus, mayListPatientItem } from '../../core/access';
import type { BreakGlassGrant } from '../../core/accessBreakGlass';
import { AppError } from '../../core/errors';
import { referenceId } from '../../core/fhirText';
import { buildPatientRecordView, patientSummary } from '../../core/recordView';
import type { PatientRecordView } from '../../core/views';
import { recordKindText, removedRecordText } from '../../core/syncDetailText';
import { latestPurgeOf, readRecordSyncFacts } from '../../sync/syncDetail';
import type { AuditPort } from '../services/auditPort';
import type { DeviceStore } from '../services/deviceStore';
import type { Session } from '../services/sessions';

/** "14:02 on 3 December" in UK time: the time a crew reads (no PHI). */
const clockText = (iso: string): string => {
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return 'an unknown time';
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'Europe/London' });
  return `${time} on ${day}`;
};

export type RecordAccessDeps = Readonly<{ store: DeviceStore; audit: AuditPort; now: () => Date; staleAfterMs: number }>;

/**
 * The facts the access rule (core/access.ts) decides on, and the one record-opening flow
 * (DESIGN §2): rule, then the durable audit entry, then the view. Break-glass grants live in
 * memory: short-lived by design; the durable record of each is its audit entry.
 */
export function createRecordAccess(deps: RecordAccessDeps) {
  const grants: BreakGlassGrant[] = [];

  async function subject(session: Session): Promise<AccessSubject> {
    const incidents = new Map<string, string>();
    for (const { resource } of await deps.store.repo().ofType<Task>('Task')) {
      const patientId = referenceId(resource.for, 'Patient');
      if (resource.id && patientId && isOpenIncidentStatus(resource.status)) incidents.set(resource.id, patientId);
    }
    return { userId: session.user.userId, role: session.user.role, assignedIncidents: incidents, grants };
  }

  const purposeText = (purpose: AccessPurpose) => (purpose.kind === 'incident' ? `incident ${purpose.incidentId}` : purpose.kind === 'call' ? 'call' : purpose.kind);

  /** Issue #14: the record's own sync state, from the outbox, the conflict queue and its pulls' confirmations. */
  async function syncStateOf(patientId: string): Promise<PatientRecordView['syncState']> {
    const store = deps.store.current();
    if (!store) return undefined;
    const facts = await readRecordSyncFacts(store, patientId);
    return {
      upToDateAt: facts.upToDateAt,
      pendingUploads: facts.pending.length,
      pendingKinds: [...new Set(facts.pending.map((p) => recordKindText(p.resourceType)))].slice(0, 20),
      conflicts: facts.conflicts.slice(0, 100).map((c) => ({ conflictId: c.key, what: recordKindText(c.resourceType) })),
    };
  }

  /** The record as the device holds it (no access check, no audit: callers do both). */
  async function recordViewOf(patientId: string): Promise<PatientRecordView | null> {
    const repo = deps.store.repo();
    const patient = await repo.get<Patient>('Patient', patientId);
    if (!patient) return null;
    const view = buildPatientRecordView(patient, await repo.forPatient(patientId), {
      now: deps.now(),
      isOffline: !deps.store.isOnline(),
      staleAfterMs: deps.staleAfterMs,
      // When Consent was last confirmed, and any unreadable safety resource: "none recorded" needs both.
      ...(await repo.recordViewFacts(patientId)),
    });
    const syncState = await syncStateOf(patientId);
    return syncState ? { ...view, syncState } : view;
  }

  /**
   * Issue #14: a record removed from this device (a purge) is said to be, with when and why, to
   * whoever the purge notice is for (mayListPatientItem) — instead of "not on this device yet" or a
   * refusal, so an open record never just goes blank. Null when it was not purged, or not for them.
   */
  async function removedMessage(who: AccessSubject, patientId: string): Promise<string | null> {
    const store = deps.store.current();
    if (!store || (await deps.store.repo().get<Patient>('Patient', patientId))) return null;
    const purge = await latestPurgeOf(store, patientId);
    if (!purge || !mayListPatientItem(who, purge, deps.now())) return null;
    return removedRecordText(purge, clockText);
  }

  async function openRecord(session: Session, patientId: string, purpose: AccessPurpose): Promise<PatientRecordView> {
    const who = { user: session.user, practitionerId: session.practitionerId, patientId };
    const caller = await subject(session);
    const decision = decideAccess(caller, patientId, purpose, deps.now());
    if (!decision.allowed) {
      await deps.audit.recordedOrDeferred({ ...who, action: 'record.open', purpose: purposeText(purpose), outcome: 'failure' });
      const removed = await removedMessage(caller, patientId);
      throw removed ? new AppError('not-found', removed) : new AppError('forbidden', denyMessage(decision.reason));
    }
    const view = await recordViewOf(patientId);
    if (!view) throw new AppError('not-found', (await removedMessage(caller, patientId)) ?? 'This patient’s record is not on this device yet. Try again when sync has finished.');
    // No entry, no data: durable (group commit) before the view is returned.
    await deps.audit.durableBeforeAnswer({ ...who, action: 'record.open', purpose: decision.purpose, outcome: 'success', patientNhsNumber: view.patient.nhsNumber });
    return view;
  }

  /** The cached patient's NHS number, for audit entries that name the patient; null when not cached or none. */
  async function nhsNumberOf(patientId: string): Promise<string | null> {
    const patient = await deps.store.repo().get<Patient>('Patient', patientId);
    return patient ? patientSummary(patient.resource).nhsNumber : null;
  }

  return {
    subject,
    openRecord,
    recordViewOf,
    nhsNumberOf,
    addGrant: (grant: BreakGlassGrant) => void grants.push(grant),
  };
}
export type RecordAccess = ReturnType<typeof createRecordAccess>;
