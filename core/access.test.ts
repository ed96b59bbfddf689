import { describe, expect, it } from 'vitest';
import {
  type AccessPurpose,
  type AccessSubject,
  decideAccess,
  decideRecordAccess,
  decidePatientSearch,
  decideSearch,
  decideTriageAccess,
  denyMessage,
  isOpenIncidentStatus,
  mayJoinCall,
  mayListIncidents,
  mayListPatientItem,
  mayRecordTriage,
  mayResolveConflicts,
  mayReviewAudit,
  mayStartCall,
  mayUseAuditTools,
} from './access';
import { BREAK_GLASS_REASONS, type BreakGlassGrant, activeGrant, breakGlassRefusalMessage, requestBreakGlass } from './accessBreakGlass';
import { STAFF_ROLES, type StaffRole } from './fhirCodes';

const now = new Date('2025-03-01T03:00:00.000Z');
const assigned = new Map([['task-1', 'pat-1']]);

const PURPOSES: Record<string, AccessPurpose> = {
  'assigned incident': { kind: 'incident', incidentId: 'task-1' },
  'other incident': { kind: 'incident', incidentId: 'task-9' },
  'call reference': { kind: 'call', callReference: '111-20250301-0042' },
  'malformed call reference': { kind: 'call', callReference: '<script>' },
  'break-glass only': { kind: 'break-glass' },
};
const PATIENTS = { 'incident patient': 'pat-1', 'other patient': 'pat-2' } as const;

function grantFor(userId: string, patientId: string, fromMs: number, toMs: number): BreakGlassGrant {
  return {
    userId,
    patientId,
    reason: 'emergency-care',
    reasonText: 'Collapsed in the street near the station',
    grantedAt: new Date(now.getTime() + fromMs).toISOString(),
    expiresAt: new Date(now.getTime() + toMs).toISOString(),
  };
}
const GRANTS: Record<string, (patientId: string) => BreakGlassGrant[]> = {
  'no grant': () => [],
  'own live grant': (p) => [grantFor('me', p, -60_000, 60_000)],
  'own expired grant': (p) => [grantFor('me', p, -120_000, 0)],
  "another user's grant": (p) => [grantFor('someone-else', p, -60_000, 60_000)],
  'own grant for another patient': () => [grantFor('me', 'pat-other', -60_000, 60_000)],
};

/** The rule written out independently, as the oracle the implementation is checked against. */
function expected(role: StaffRole, patient: string, purposeName: string, grantName: string): string {
  if (role === 'administrator') return 'deny';
  const byRule =
    (role === 'paramedic' && purposeName === 'assigned incident' && patient === 'pat-1') ||
    (role === 'call-handler' && purposeName === 'call reference') ||
    // Issue #9/#10: a clinician's incident must be on this device and be this patient's.
    (role === 'clinician' && ((purposeName === 'assigned incident' && patient === 'pat-1') || purposeName === 'call reference'));
  if (byRule) return 'rule';
  return grantName === 'own live grant' ? 'break-glass' : 'deny';
}

describe('decideAccess: every role × patient × purpose × grant', () => {
  const cases: [StaffRole, string, string, string][] = [];
  for (const role of STAFF_ROLES)
    for (const patient of Object.keys(PATIENTS))
      for (const purpose of Object.keys(PURPOSES)) for (const grant of Object.keys(GRANTS)) cases.push([role, patient, purpose, grant]);

  it.each(cases)('%s, %s, %s, %s', (role, patientName, purposeName, grantName) => {
    const patientId = PATIENTS[patientName as keyof typeof PATIENTS];
    const decision = decideAccess({ userId: 'me', role, assignedIncidents: assigned, grants: GRANTS[grantName]!(patientId) }, patientId, PURPOSES[purposeName]!, now);
    const want = expected(role, patientId, purposeName, grantName);
    if (want === 'deny') {
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) {
        expect(decision.canBreakGlass).toBe(role !== 'administrator');
        expect(denyMessage(decision.reason)).not.toMatch(/pat-|111-/);
      }
    } else {
      expect(decision).toMatchObject({ allowed: true, basis: want === 'break-glass' ? 'break-glass' : expect.not.stringMatching(/^break-glass$/) });
    }
  });

  it('names the purpose of use: the incident, the call reference, or the break-glass reason', () => {
    expect(decideAccess({ userId: 'me', role: 'paramedic', assignedIncidents: assigned }, 'pat-1', PURPOSES['assigned incident']!, now)).toEqual({
      allowed: true,
      purpose: 'incident task-1',
      basis: 'assigned-incident',
    });
    expect(decideAccess({ userId: 'me', role: 'call-handler', assignedIncidents: new Map() }, 'pat-2', PURPOSES['call reference']!, now)).toMatchObject({
      purpose: 'call 111-20250301-0042',
    });
    const grants = GRANTS['own live grant']!('pat-2');
    expect(decideAccess({ userId: 'me', role: 'paramedic', assignedIncidents: assigned, grants }, 'pat-2', PURPOSES['break-glass only']!, now)).toMatchObject({
      purpose: 'break-glass (emergency-care): Collapsed in the street near the station',
      basis: 'break-glass',
    });
  });

  it('keeps the skeleton entry point: an assigned incident for a paramedic', () => {
    expect(decideRecordAccess({ role: 'paramedic', assignedIncidents: assigned }, 'pat-1', 'task-1').allowed).toBe(true);
    expect(decideRecordAccess({ role: 'paramedic', assignedIncidents: assigned }, 'pat-2', 'task-1').allowed).toBe(false);
  });
});

describe('break-glass requests', () => {
  const base = { userId: 'me', patientId: 'pat-2', reason: 'other' as const, reasonText: 'Patient found collapsed at the depot' };
  it.each(STAFF_ROLES)('%s', (role) => {
    const outcome = requestBreakGlass({ ...base, role }, now, 30 * 60_000);
    if (role === 'administrator') return expect(outcome).toEqual({ ok: false, refusal: 'role-not-permitted' });
    expect(outcome).toEqual({ ok: true, grant: { ...base, grantedAt: now.toISOString(), expiresAt: '2025-03-01T03:30:00.000Z' } });
  });
  it('needs a real reason, within bounds, for every reason code', () => {
    for (const reason of BREAK_GLASS_REASONS) {
      expect(requestBreakGlass({ ...base, reason, role: 'paramedic', reasonText: '   short   ' }, now)).toEqual({ ok: false, refusal: 'reason-too-short' });
      expect(requestBreakGlass({ ...base, reason, role: 'paramedic', reasonText: 'x'.repeat(501) }, now)).toEqual({ ok: false, refusal: 'reason-too-long' });
    }
    for (const refusal of ['role-not-permitted', 'reason-too-short', 'reason-too-long', 'reason-not-words', 'reason-hidden-characters'] as const) expect(breakGlassRefusalMessage(refusal)).not.toBe('');
    // Issue #10: a reason a reviewer can read, with nothing hidden in it.
    expect(requestBreakGlass({ ...base, reason: 'other', role: 'paramedic', reasonText: 'xxxxxxxxxxxxxxxx' }, now)).toEqual({ ok: false, refusal: 'reason-not-words' });
    expect(requestBreakGlass({ ...base, reason: 'other', role: 'paramedic', reasonText: '.......... ..........' }, now)).toEqual({ ok: false, refusal: 'reason-not-words' });
    expect(requestBreakGlass({ ...base, reason: 'other', role: 'paramedic', reasonText: 'Found collapsed\u001b[2K at the depot' }, now)).toEqual({ ok: false, refusal: 'reason-hidden-characters' });
    const ok = requestBreakGlass({ ...base, reason: 'other', role: 'paramedic', reasonText: ' Found collapsed\r\nat the depot ' }, now);
    expect(ok.ok && ok.grant.reasonText).toBe('Found collapsed at the depot');
  });
  it('is time-limited: live from grantedAt, gone at expiresAt', () => {
    const outcome = requestBreakGlass({ ...base, role: 'paramedic' }, now, 1000);
    if (!outcome.ok) throw new Error('expected a grant');
    expect(activeGrant([outcome.grant], 'me', 'pat-2', new Date(now.getTime() + 999))).not.toBeNull();
    expect(activeGrant([outcome.grant], 'me', 'pat-2', new Date(now.getTime() + 1000))).toBeNull();
    expect(activeGrant([outcome.grant], 'me', 'pat-2', new Date(now.getTime() - 1))).toBeNull();
  });
});

describe('decideSearch', () => {
  it.each(STAFF_ROLES)('%s', (role) => {
    const call = decideSearch(role, PURPOSES['call reference']!);
    const none = decideSearch(role, null);
    const bad = decideSearch(role, PURPOSES['malformed call reference']!);
    if (role === 'administrator') {
      for (const d of [call, none, bad]) expect(d).toEqual({ allowed: false, reason: 'no-patient-access' });
      return;
    }
    expect(call).toEqual({ allowed: true, purpose: 'call 111-20250301-0042' });
    expect(bad).toEqual({ allowed: false, reason: 'bad-call-reference' });
    expect(none.allowed).toBe(role !== 'call-handler');
  });
});

describe('role rules of the contract methods (issue #9: all of them here)', () => {
  it('lists a vehicle’s incidents to its crew and clinicians only: not a 111 call handler, not an administrator', () => {
    expect(STAFF_ROLES.filter(mayListIncidents)).toEqual(['paramedic', 'clinician']);
  });
  it('lets paramedics and clinicians resolve conflicts, clinical leads and IG review audit, administrators use the audit tools', () => {
    expect(STAFF_ROLES.filter(mayResolveConflicts)).toEqual(['paramedic', 'clinician']);
    expect(STAFF_ROLES.filter(mayReviewAudit)).toEqual(['clinician', 'administrator']);
    expect(STAFF_ROLES.filter(mayUseAuditTools)).toEqual(['administrator']);
  });
  it('treats only in-progress Task statuses as open incidents', () => {
    expect(['requested', 'received', 'accepted', 'ready', 'in-progress'].every(isOpenIncidentStatus)).toBe(true);
    expect(['draft', 'completed', 'cancelled', 'rejected', 'failed', 'entered-in-error', 'on-hold'].some(isOpenIncidentStatus)).toBe(false);
  });
  it('refuses a clinician an incident id this device does not hold, or one that is another patient’s', () => {
    const clinician = { userId: 'me', role: 'clinician' as const, assignedIncidents: assigned };
    expect(decideAccess(clinician, 'pat-1', { kind: 'incident', incidentId: 'task-made-up' }, now)).toMatchObject({ allowed: false, reason: 'unknown-incident', canBreakGlass: true });
    expect(decideAccess(clinician, 'pat-2', { kind: 'incident', incidentId: 'task-1' }, now)).toMatchObject({ allowed: false, reason: 'unknown-incident' });
    expect(decideAccess(clinician, 'pat-1', { kind: 'incident', incidentId: 'task-1' }, now)).toMatchObject({ allowed: true, basis: 'clinical-purpose' });
  });
});

describe('mayListPatientItem: conflicts and purge notices per patient', () => {
  const subject = (role: StaffRole, grants: BreakGlassGrant[] = []): AccessSubject => ({ userId: 'me', role, assignedIncidents: assigned, grants });
  it('shows a conflict about an incident patient to the crew and a clinician, and to nobody else without a grant', () => {
    const conflict = { patientId: 'pat-1' };
    expect(STAFF_ROLES.filter((role) => mayListPatientItem(subject(role), conflict, now))).toEqual(['paramedic', 'clinician']);
    const other = { patientId: 'pat-2' };
    expect(STAFF_ROLES.filter((role) => mayListPatientItem(subject(role), other, now))).toEqual([]);
  });
  it('a live break-glass grant shows that patient’s items to its holder only; never to an administrator', () => {
    const grant = [grantFor('me', 'pat-2', -60_000, 60_000)];
    expect(mayListPatientItem(subject('call-handler', grant), { patientId: 'pat-2' }, now)).toBe(true);
    expect(mayListPatientItem(subject('call-handler', [grantFor('someone-else', 'pat-2', -60_000, 60_000)]), { patientId: 'pat-2' }, now)).toBe(false);
    expect(mayListPatientItem(subject('administrator', grant), { patientId: 'pat-2' }, now)).toBe(false);
  });
  it('shows a purge notice to the users of the scope it came from', () => {
    expect(mayListPatientItem(subject('paramedic'), { patientId: 'pat-gone', scopes: ['incident'] }, now)).toBe(true);
    expect(mayListPatientItem(subject('paramedic'), { patientId: 'pat-gone', scopes: ['search'] }, now)).toBe(false);
    expect(mayListPatientItem(subject('call-handler'), { patientId: 'pat-gone', scopes: ['search'] }, now)).toBe(true);
    expect(mayListPatientItem(subject('call-handler'), { patientId: 'pat-gone', scopes: ['incident', 'area'] }, now)).toBe(false);
    expect(mayListPatientItem(subject('administrator'), { patientId: 'pat-gone', scopes: ['incident'] }, now)).toBe(false);
  });
});

describe('decideTriageAccess: who records triage for whom (issue #12)', () => {
  const subject = (role: StaffRole, userId = 'me', grants: BreakGlassGrant[] = []): AccessSubject => ({ userId, role, assignedIncidents: assigned, grants });
  const target = (over: Partial<Parameters<typeof decideTriageAccess>[1]> = {}) => ({ patientId: 'pat-1', incidentId: 'task-1', isUnidentified: false, startedByUserId: null, hasOpenWork: false, ...over });
  const verdict = (d: ReturnType<typeof decideTriageAccess>) => (d.allowed ? d.purpose : `deny:${d.reason}`);

  it('only crews and clinical advisers record', () => {
    expect(STAFF_ROLES.filter(mayRecordTriage)).toEqual(['paramedic', 'clinician']);
    expect(verdict(decideTriageAccess(subject('call-handler'), target(), now))).toBe('deny:not-recording-role');
    expect(verdict(decideTriageAccess(subject('administrator'), target(), now))).toBe('deny:no-patient-access');
    expect(denyMessage('not-recording-role')).toContain('cannot record');
  });
  it('a paramedic records for the patient of their incident; another patient needs break-glass', () => {
    expect(verdict(decideTriageAccess(subject('paramedic'), target(), now))).toBe('incident task-1');
    expect(verdict(decideTriageAccess(subject('paramedic'), target({ patientId: 'pat-2' }), now))).toBe('deny:not-assigned');
    expect(verdict(decideTriageAccess(subject('paramedic'), target({ patientId: 'pat-2', incidentId: null }), now))).toBe('deny:not-assigned');
    expect(decideTriageAccess(subject('paramedic', 'me', [grantFor('me', 'pat-2', -60_000, 60_000)]), target({ patientId: 'pat-2', incidentId: null }), now)).toMatchObject({ allowed: true, basis: 'break-glass' });
  });
  it('the author of an unidentified patient, or of an episode with open work, goes on; nobody else does, and finished work needs the incident', () => {
    const orphan = target({ patientId: 'pat-new', incidentId: null, isUnidentified: true, startedByUserId: 'me' });
    expect(verdict(decideTriageAccess(subject('paramedic'), orphan, now))).toBe('unidentified patient');
    expect(verdict(decideTriageAccess(subject('paramedic', 'colleague'), orphan, now))).toBe('deny:not-assigned');
    const closed = target({ patientId: 'pat-2', incidentId: 'task-gone', startedByUserId: 'me', hasOpenWork: true });
    expect(verdict(decideTriageAccess(subject('paramedic'), closed, now))).toBe('own triage, incident task-gone');
    expect(verdict(decideTriageAccess(subject('paramedic'), { ...closed, hasOpenWork: false }, now))).toBe('deny:not-assigned');
    expect(verdict(decideTriageAccess(subject('paramedic', 'colleague'), closed, now))).toBe('deny:not-assigned');
  });
});

describe('decidePatientSearch: every search has a purpose main holds (issue #13)', () => {
  const subject = (role: StaffRole): AccessSubject => ({ userId: 'me', role, assignedIncidents: assigned });
  const CALL = '111-20250301-0042';
  const onCall = { kind: 'call' as const, reference: CALL, incidentId: null };

  it('lets a call handler search only under the call this session started, never an ended or other one', () => {
    const purpose: AccessPurpose = { kind: 'call', callReference: CALL };
    expect(decidePatientSearch(subject('call-handler'), purpose, onCall)).toEqual({ allowed: true, purpose: `call ${CALL}` });
    expect(decidePatientSearch(subject('call-handler'), purpose, null)).toEqual({ allowed: false, reason: 'call-not-active' });
    expect(decidePatientSearch(subject('call-handler'), { kind: 'call', callReference: '111-20250301-9999' }, onCall)).toEqual({ allowed: false, reason: 'call-not-active' });
    expect(decidePatientSearch(subject('call-handler'), { kind: 'call', callReference: '<script>' }, onCall)).toEqual({ allowed: false, reason: 'bad-call-reference' });
    // Never by incident or break-glass: the call reference is the call handler's purpose of use.
    expect(decidePatientSearch(subject('call-handler'), PURPOSES['assigned incident']!, onCall)).toEqual({ allowed: false, reason: 'needs-call-reference' });
    expect(decidePatientSearch(subject('call-handler'), { kind: 'break-glass' }, onCall)).toEqual({ allowed: false, reason: 'needs-call-reference' });
  });

  it('lets a clinician search under a joined call, and crews under an incident on this device only', () => {
    expect(decidePatientSearch(subject('clinician'), { kind: 'call', callReference: CALL }, onCall).allowed).toBe(true);
    expect(decidePatientSearch(subject('clinician'), { kind: 'call', callReference: CALL }, null)).toEqual({ allowed: false, reason: 'call-not-active' });
    expect(decidePatientSearch(subject('paramedic'), { kind: 'call', callReference: CALL }, onCall)).toEqual({ allowed: false, reason: 'not-call-role' });
    expect(decidePatientSearch(subject('paramedic'), PURPOSES['assigned incident']!, null)).toEqual({ allowed: true, purpose: 'incident task-1' });
    expect(decidePatientSearch(subject('paramedic'), PURPOSES['other incident']!, null)).toEqual({ allowed: false, reason: 'unknown-incident' });
    // An incident a clinical adviser joined from the central record is a purpose for their searches.
    expect(decidePatientSearch(subject('clinician'), PURPOSES['other incident']!, { kind: 'incident', reference: 'INC-9', incidentId: 'task-9' })).toEqual({ allowed: true, purpose: 'incident task-9' });
    expect(decidePatientSearch(subject('paramedic'), { kind: 'break-glass' }, null)).toEqual({ allowed: true, purpose: 'emergency access search' });
    for (const purpose of Object.values(PURPOSES)) expect(decidePatientSearch(subject('administrator'), purpose, onCall)).toEqual({ allowed: false, reason: 'no-patient-access' });
  });

  it('says who starts and who joins calls, and keeps call handlers off the incident list', () => {
    expect(STAFF_ROLES.filter(mayStartCall)).toEqual(['call-handler']);
    expect(STAFF_ROLES.filter(mayJoinCall)).toEqual(['clinician']);
    expect(mayListIncidents('call-handler')).toBe(false);
    expect(denyMessage('call-not-active')).not.toMatch(/\d{3}/);
  });
});
