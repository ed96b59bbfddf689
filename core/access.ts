import { type BreakGlassGrant, activeGrant, breakGlassPurpose, mayBreakGlass } from './accessBreakGlass';
import type { Task } from '@medplum/fhirtypes';
import type { StaffRole } from './fhirCodes';

/**
 * Who may see which patient, and for what purpose (DESIGN §6, issue #4). Pure: the services
 * gather the facts (role, assigned incidents, grants) and this decides.
 *
 * - paramedic: the patient of an incident assigned to them (purpose: the incident).
 * - call handler (NHS 111): any cached patient for a call, with the call reference as purpose.
 * - clinician (clinical adviser): the patient of an incident on this device, or any cached patient for a call they advise on.
 * - administrator: no patient data, not even by break-glass.
 * Anything else: break-glass (a live grant for this user and patient).
 */
export type AccessPurpose =
  | Readonly<{ kind: 'incident'; incidentId: string }>
  | Readonly<{ kind: 'call'; callReference: string }>
  | Readonly<{ kind: 'break-glass' }>;

export type AccessSubject = Readonly<{
  userId: string;
  role: StaffRole;
  /** incidentId → patientId for the incidents assigned to the user's vehicle. */
  assignedIncidents: ReadonlyMap<string, string>;
  /** Break-glass grants on this device (any user's: the rule picks this user's). */
  grants?: readonly BreakGlassGrant[];
}>;

export type AccessBasis = 'assigned-incident' | 'call-reference' | 'clinical-purpose' | 'break-glass';
export type DenyReason =
  | 'no-patient-access' | 'not-assigned' | 'needs-call-reference' | 'needs-purpose' | 'bad-call-reference' | 'unknown-incident' | 'not-recording-role'
  | 'call-not-active' | 'not-call-role';

export type AccessDecision =
  | Readonly<{ allowed: true; purpose: string; basis: AccessBasis }>
  | Readonly<{ allowed: false; reason: DenyReason; canBreakGlass: boolean }>;

/** A 111 call reference: letters, digits, '-' and '/', 4–32 characters (e.g. "111-20250301-0042"). */
export const CALL_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-/]{3,31}$/;
export const isCallReference = (text: string): boolean => CALL_REFERENCE_PATTERN.test(text);

function byRole(subject: AccessSubject, patientId: string, purpose: AccessPurpose): AccessDecision {
  const deny = (reason: DenyReason): AccessDecision => ({ allowed: false, reason, canBreakGlass: mayBreakGlass(subject.role) });
  switch (subject.role) {
    case 'administrator':
      return { allowed: false, reason: 'no-patient-access', canBreakGlass: false };
    case 'paramedic':
      if (purpose.kind === 'incident' && subject.assignedIncidents.get(purpose.incidentId) === patientId) {
        return { allowed: true, purpose: `incident ${purpose.incidentId}`, basis: 'assigned-incident' };
      }
      return deny('not-assigned');
    case 'call-handler':
      if (purpose.kind !== 'call') return deny('needs-call-reference');
      if (!isCallReference(purpose.callReference)) return deny('bad-call-reference');
      return { allowed: true, purpose: `call ${purpose.callReference}`, basis: 'call-reference' };
    case 'clinician':
      // The incident must be one this device holds, and be this patient's: an id typed in is not a purpose (issue #10).
      if (purpose.kind === 'incident') {
        return subject.assignedIncidents.get(purpose.incidentId) === patientId
          ? { allowed: true, purpose: `incident ${purpose.incidentId}`, basis: 'clinical-purpose' }
          : deny('unknown-incident');
      }
      if (purpose.kind === 'call' && isCallReference(purpose.callReference)) {
        return { allowed: true, purpose: `call ${purpose.callReference}`, basis: 'clinical-purpose' };
      }
      return deny(purpose.kind === 'call' ? 'bad-call-reference' : 'needs-purpose');
  }
}

/** Decides one opening of one patient's record; a live break-glass grant covers what the role does not. */
export function decideAccess(subject: AccessSubject, patientId: string, purpose: AccessPurpose, now: Date): AccessDecision {
  const decision = byRole(subject, patientId, purpose);
  if (decision.allowed || !decision.canBreakGlass) return decision;
  const grant = activeGrant(subject.grants ?? [], subject.userId, patientId, now);
  return grant ? { allowed: true, purpose: breakGlassPurpose(grant), basis: 'break-glass' } : decision;
}

/**
 * The skeleton's entry point (record.open with an incident), kept for its callers:
 * the same rule as `decideAccess` with the incident as purpose.
 */
export function decideRecordAccess(subject: Omit<AccessSubject, 'userId'> & { userId?: string }, patientId: string, incidentId: string, now: Date = new Date()): AccessDecision {
  return decideAccess({ ...subject, userId: subject.userId ?? '' }, patientId, { kind: 'incident', incidentId }, now);
}

/** Who may search the cached patients, and with what purpose (searching reveals names, so it is a patient-data access). */
export function decideSearch(role: StaffRole, purpose: AccessPurpose | null): Readonly<{ allowed: true; purpose: string } | { allowed: false; reason: DenyReason }> {
  if (role === 'administrator') return { allowed: false, reason: 'no-patient-access' };
  if (purpose?.kind === 'call') {
    return isCallReference(purpose.callReference) ? { allowed: true, purpose: `call ${purpose.callReference}` } : { allowed: false, reason: 'bad-call-reference' };
  }
  if (role === 'call-handler') return { allowed: false, reason: 'needs-call-reference' };
  if (purpose?.kind === 'incident') return { allowed: true, purpose: `incident ${purpose.incidentId}` };
  // A crew member looking up a patient not on their incidents (to ask for break-glass): exact NHS number only, enforced by the caller.
  return { allowed: true, purpose: 'lookup by NHS number' };
}

/** Plain-language refusal, no PHI. */
export function denyMessage(reason: DenyReason): string {
  switch (reason) {
    case 'no-patient-access':
      return 'Administrators do not see patient data.';
    case 'not-assigned':
      return 'This patient is not linked to an incident assigned to you. Use emergency access if you need the record now.';
    case 'needs-call-reference':
      return 'Enter the call reference for this call before opening a record.';
    case 'bad-call-reference':
      return 'That call reference is not in the expected form (letters, digits and dashes).';
    case 'needs-purpose':
      return 'Say which incident or call this is for, or use emergency access.';
    case 'unknown-incident':
      return 'That incident is not on this device or is not this patient’s. Choose the incident from the list, or use emergency access.';
    case 'not-recording-role':
      return 'Observations are recorded by ambulance clinicians and clinical advisers. Your role cannot record them.';
    case 'call-not-active':
      return 'That call is not open on this screen. Start the call (or join it) with its reference first.';
    case 'not-call-role':
      return 'Calls are taken by 111 call handlers and joined by clinical advisers. Use your incidents, or emergency access.';
  }
}

/** The call or incident a 111 call handler or clinical adviser is working now (main holds it per session). */
export type WorkingOn = Readonly<{ kind: 'call' | 'incident'; reference: string; incidentId: string | null }> | null;

/**
 * patients.search (issue #13): every search needs a purpose, checked against what main holds.
 * - call: only the call this session started or joined (an ended call is no purpose); call handlers and clinicians.
 * - incident: one on this device, or the one joined (an id typed in is not a purpose, issue #10).
 * - break-glass: crews and clinicians looking for someone not on their incidents; opening still needs a grant.
 * A call handler's purpose is always the call reference (DESIGN §6).
 */
export function decidePatientSearch(subject: AccessSubject, purpose: AccessPurpose, workingOn: WorkingOn): Readonly<{ allowed: true; purpose: string } | { allowed: false; reason: DenyReason }> {
  const role = subject.role;
  if (role === 'administrator') return { allowed: false, reason: 'no-patient-access' };
  switch (purpose.kind) {
    case 'call':
      if (role !== 'call-handler' && role !== 'clinician') return { allowed: false, reason: 'not-call-role' };
      if (!isCallReference(purpose.callReference)) return { allowed: false, reason: 'bad-call-reference' };
      if (workingOn?.kind !== 'call' || workingOn.reference !== purpose.callReference) return { allowed: false, reason: 'call-not-active' };
      return { allowed: true, purpose: `call ${purpose.callReference}` };
    case 'incident':
      if (role === 'call-handler') return { allowed: false, reason: 'needs-call-reference' };
      // On this device, or the incident a clinical adviser joined (found on the central record).
      if (subject.assignedIncidents.has(purpose.incidentId) || (workingOn?.kind === 'incident' && workingOn.incidentId === purpose.incidentId)) {
        return { allowed: true, purpose: `incident ${purpose.incidentId}` };
      }
      return { allowed: false, reason: 'unknown-incident' };
    case 'break-glass':
      if (role === 'call-handler') return { allowed: false, reason: 'needs-call-reference' };
      return { allowed: true, purpose: 'emergency access search' };
  }
}

/** Who starts a 111 call (call handlers), and who joins a call or incident by reference (clinical advisers). */
export const mayStartCall = (role: StaffRole): boolean => role === 'call-handler';
export const mayJoinCall = (role: StaffRole): boolean => role === 'clinician';

/** Triage (issue #12) is recorded by crews and clinical advisers; call handlers and administrators do not record observations. */
export const mayRecordTriage = (role: StaffRole): boolean => role === 'paramedic' || role === 'clinician';

export type TriageTarget = Readonly<{
  patientId: string;
  incidentId: string | null;
  isUnidentified: boolean;
  startedByUserId: string | null;
  /** The episode is still in progress, or holds items not yet accepted by the central record. */
  hasOpenWork: boolean;
}>;

/**
 * Recording for a patient: as opening their record for the incident (or break-glass without one).
 * A patient created here because their identity is not known has no record to protect yet, and
 * no incident names them: the clinician who created them records for them. And the clinician who
 * started an episode may finish it and see it upload after the incident has closed (its Task and
 * record purged): their own unfinished clinical record, not access to the patient's record.
 */
export function decideTriageAccess(subject: AccessSubject, target: TriageTarget, now: Date): AccessDecision {
  if (!mayRecordTriage(subject.role)) {
    return { allowed: false, reason: subject.role === 'administrator' ? 'no-patient-access' : 'not-recording-role', canBreakGlass: false };
  }
  const purpose: AccessPurpose = target.incidentId ? { kind: 'incident', incidentId: target.incidentId } : { kind: 'break-glass' };
  const decision = decideAccess(subject, target.patientId, purpose, now);
  const isAuthor = target.startedByUserId === subject.userId;
  if (decision.allowed || !isAuthor || !(target.isUnidentified || target.hasOpenWork)) return decision;
  const about = target.incidentId ? `incident ${target.incidentId}` : 'unidentified patient';
  return { allowed: true, purpose: target.isUnidentified ? about : `own triage, ${about}`, basis: 'clinical-purpose' };
}

// ---- Role rules of the contract methods (issue #9: every role rule lives here) ----

/** FHIR Task statuses of an incident still in progress (http://hl7.org/fhir/R4/valueset-task-status.html). */
const OPEN_INCIDENT_STATUSES: ReadonlySet<string> = new Set(['requested', 'received', 'accepted', 'ready', 'in-progress'] satisfies Task['status'][]);
export const isOpenIncidentStatus = (status: string): boolean => OPEN_INCIDENT_STATUSES.has(status);

/**
 * incidents.list names the patients of the vehicle's incidents: for the crew (paramedics) and a
 * clinician working an incident with them. A 111 call handler works from calls, not a vehicle's
 * dispatches; an administrator sees no patient data.
 */
export const mayListIncidents = (role: StaffRole): boolean => role === 'paramedic' || role === 'clinician';

/**
 * Deciding between two clinical edits (DESIGN §4: "kept for a clinician"): clinicians, and
 * paramedics, who made most field edits and know which version is right.
 */
export const mayResolveConflicts = (role: StaffRole): boolean => role === 'clinician' || role === 'paramedic';

/** Other people's accesses: clinical leads (clinician) and IG staff (administrator). Everyone sees their own. */
export const mayReviewAudit = (role: StaffRole): boolean => role === 'clinician' || role === 'administrator';

/** The audit command line (verify, export, patient report): IG staff and administrators only. */
export const mayUseAuditTools = (role: StaffRole): boolean => role === 'administrator';

/**
 * A conflict or purge notice about one patient (ids and field names, no clinical values) is shown
 * to whoever could open that patient now without a new purpose: the crew of one of the patient's
 * incidents on this device, a clinician on such an incident, or the holder of a live break-glass
 * grant. A purge notice is also shown to the crews of the scope it came from ("incident": this
 * vehicle's; "search": the call handler or crew who searched), because the patient is gone and
 * that is what the notice is for.
 */
export function mayListPatientItem(subject: AccessSubject, item: Readonly<{ patientId: string; scopes?: readonly string[] }>, now: Date): boolean {
  if (subject.role === 'administrator') return false;
  if (activeGrant(subject.grants ?? [], subject.userId, item.patientId, now)) return true;
  const onIncident = [...subject.assignedIncidents.values()].includes(item.patientId);
  if ((subject.role === 'paramedic' || subject.role === 'clinician') && onIncident) return true;
  const scopes = item.scopes ?? [];
  if (subject.role === 'call-handler') return scopes.includes('search');
  return scopes.includes('incident');
}

/**
 * Opening a conflict (both versions' clinical values) or deciding it, and adding to a care plan
 * (issue #14): as opening the patient's record now. A crew or clinician on one of the patient's
 * incidents on this device, with that incident as purpose, or the holder of a live break-glass
 * grant. The role rule comes first (mayResolveConflicts, mayContributeToCarePlans).
 */
export function decidePatientWorkAccess(subject: AccessSubject, patientId: string, now: Date, incidentId: string | null = null): AccessDecision {
  const incident = incidentId ?? [...subject.assignedIncidents].find(([, p]) => p === patientId)?.[0] ?? null;
  return decideAccess(subject, patientId, incident ? { kind: 'incident', incidentId: incident } : { kind: 'break-glass' }, now);
}

/** Adding to a Universal Care Plan: the crew (paramedics) and clinicians, as the issue asks. */
export const mayContributeToCarePlans = (role: StaffRole): boolean => role === 'paramedic' || role === 'clinician';
