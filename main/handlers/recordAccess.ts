import type { Patient, Task } from '@medplum/fhirtypes';
import { type AccessPurpose, type AccessSubject, decideAccess, denyMessage, isOpenIncidentStatus } from '../../core/access';
import type { BreakGlassGrant } from '../../core/accessBreakGlass';
import { AppError } from '../../core/errors';
import { referenceId } from '../../core/fhirText';
import { buildPatientRecordView, patientSummary } from '../../core/recordView';
import type { PatientRecordView } from '../../core/views';
import type { AuditPort } from '../services/auditPort';
import type { DeviceStore } from '../services/deviceStore';
import type { Session } from '../services/sessions';

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

  /** The record as the device holds it (no access check, no audit: callers do both). */
  async function recordViewOf(patientId: string): Promise<PatientRecordView | null> {
    const repo = deps.store.repo();
    const patient = await repo.get<Patient>('Patient', patientId);
    if (!patient) return null;
    return buildPatientRecordView(patient, await repo.forPatient(patientId), {
      now: deps.now(),
      isOffline: !deps.store.isOnline(),
      staleAfterMs: deps.staleAfterMs,
      // When Consent was last confirmed, and any unreadable safety resource: "none recorded" needs both.
      ...(await repo.recordViewFacts(patientId)),
    });
  }

  async function openRecord(session: Session, patientId: string, purpose: AccessPurpose): Promise<PatientRecordView> {
    const who = { user: session.user, practitionerId: session.practitionerId, patientId };
    const decision = decideAccess(await subject(session), patientId, purpose, deps.now());
    if (!decision.allowed) {
      await deps.audit.recordedOrDeferred({ ...who, action: 'record.open', purpose: purposeText(purpose), outcome: 'failure' });
      throw new AppError('forbidden', denyMessage(decision.reason));
    }
    const view = await recordViewOf(patientId);
    if (!view) throw new AppError('not-found', 'This patient’s record is not on this device yet. Try again when sync has finished.');
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
