import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding, Extension } from '@medplum/fhirtypes';
import { base64Utf8 } from './auditEncoding';
import { SYSTEMS, type StaffRole } from './fhirCodes';

/**
 * What OnScene audits (issue #3, DESIGN §5). Each maps to an IHE Basic Audit Log Patterns (BALP)
 * shape: https://profiles.ihe.net/ITI/BALP/ — PatientRead for reads, PatientQuery for searches,
 * DICOM user-authentication events for sign-in, and so on (see EVENT_SHAPES). Some actions are
 * emitted by features that arrive later (break-glass, lock, purge...); they are defined here so
 * the format is settled before they ship.
 */
export const AUDIT_ACTIONS = [
  'record.open',
  'record.section',
  'incidents.list',
  'patients.search',
  'break-glass',
  'export',
  'print',
  'login',
  'login.failed',
  'logout',
  'session.lock',
  'session.unlock',
  'purge',
  'enrolment',
  'wipe',
  'sync.batch',
  'audit.export',
  'audit.report',
  'conflict.resolve',
  // Issue #14: a conflict opened for review (both versions' clinical values), and a crew's addition to a care plan.
  'conflict.open',
  'careplan.contribute',
  // Issue #12: a triage episode opened, and each save of what a crew entered (a write to the record).
  'triage.open',
  'triage.write',
  // Issue #14: the sync detail screen, which names the patients whose uploads wait or were refused.
  'sync.detail',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const isAuditAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);

/** HL7 v3 ActReason purpose-of-use codes we use: http://terminology.hl7.org/CodeSystem/v3-ActReason */
export const PURPOSES_OF_USE = ['ETREAT', 'BTG', 'HOPERAT', 'HCOMPL'] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** A device clock this far from the central record's is flagged on every entry it stamps. */
export const CLOCK_SKEW_THRESHOLD_MS = 5 * 60_000;

/** What was accessed, beyond the patient: kept inside the encrypted database. */
export type AuditDetail = Readonly<{
  /** record.section: the section expanded or viewed (e.g. "care-plans"). */
  section?: string;
  /** patients.search: the query as given (BALP PatientQuery keeps it, base64, in entity.query). */
  query?: string;
  /** How many: resources in a sync batch, entries exported, patients purged. */
  count?: number;
  /** export, print, audit.export: the format or kind of output. */
  format?: string;
}>;

export type AuditFact = Readonly<{
  action: AuditAction;
  /** Device time at the moment of the access. */
  recordedAt: string;
  userId: string;
  practitionerId: string | null;
  role: StaffRole | null;
  /** The user's organisation (FHIR Organization id), when the device knows it. */
  organizationId?: string | null;
  deviceId: string;
  appVersion: string;
  patientId: string | null;
  patientNhsNumber?: string | null;
  /** The incident or call reference the access serves; the break-glass reason when there is none. */
  purpose: string | null;
  /** Defaults from the action (BTG for break-glass, ETREAT for patient data, HCOMPL for audit review). */
  purposeOfUse?: PurposeOfUse | null;
  outcome: 'success' | 'failure';
  isOffline: boolean;
  /** The last time the central record told us (server Date). */
  lastServerTimeAt: string | null;
  /** Server clock minus device clock, measured at the last answer from the central record. */
  clockOffsetMs?: number | null;
  detail?: AuditDetail;
}>;

const AUDIT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SECURITY_ROLE = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';
const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ONSCENE = 'https://fhir.onscene.example/';
export const AUDIT_SYSTEMS = {
  action: `${ONSCENE}CodeSystem/audit-action`,
  userId: `${ONSCENE}Id/user`,
  deviceId: `${ONSCENE}Id/device`,
  extension: `${ONSCENE}StructureDefinition/`,
  /** Basic.code of the per-device chain-head anchor on the central record (sync/auditAnchor.ts). */
  resource: `${ONSCENE}CodeSystem/audit-resource`,
} as const;
const EXT = AUDIT_SYSTEMS.extension;

type Shape = Pick<AuditEvent, 'type' | 'action'> & { subtype: Coding[] };
const rest = (code: string, action: AuditEvent['action']): Shape => ({ type: { system: AUDIT_TYPE, code: 'rest' }, subtype: [{ system: RESTFUL, code }], action });
// Codes without display text: displays are optional in FHIR and would add a sixth to every entry.
const dcm = (code: string, sub: Coding[], action: AuditEvent['action']): Shape => ({ type: { system: DCM, code }, subtype: sub, action });
/** DICOM 110114 User Authentication, subtype Login (110122) or Logout (110123). */
const AUTH = (code: '110122' | '110123'): Shape => dcm('110114', [{ system: DCM, code }], 'E');
/** DICOM 110113 Security Alert, subtype Emergency Override Started (110127) or Security Roles Changed (110136). */
const SECURITY_ALERT = (code: '110127' | '110136'): Shape => dcm('110113', [{ system: DCM, code }], 'E');

/** BALP/DICOM shape per action; our own action code is always added as a further subtype. */
const EVENT_SHAPES: Record<AuditAction, Shape> = {
  'record.open': rest('read', 'R'),
  'record.section': rest('read', 'R'),
  'incidents.list': rest('search-type', 'E'),
  'patients.search': rest('search-type', 'E'),
  'break-glass': SECURITY_ALERT('110127'),
  export: dcm('110106', [], 'R'),
  print: dcm('110106', [], 'R'),
  login: AUTH('110122'),
  'login.failed': AUTH('110122'),
  logout: AUTH('110123'),
  'session.lock': AUTH('110123'),
  'session.unlock': AUTH('110122'),
  purge: rest('delete', 'D'),
  enrolment: SECURITY_ALERT('110136'),
  wipe: rest('delete', 'D'),
  'sync.batch': rest('search-type', 'R'),
  'audit.export': dcm('110101', [], 'R'),
  'audit.report': dcm('110101', [], 'R'),
  // A clinician's choice between the local edit and the server's version of a record.
  'conflict.resolve': rest('update', 'U'),
  'conflict.open': rest('read', 'R'),
  'careplan.contribute': rest('update', 'U'),
  'triage.open': rest('read', 'R'),
  'triage.write': rest('update', 'U'),
  'sync.detail': rest('search-type', 'E'),
};

const PATIENT_DATA_ACTIONS: ReadonlySet<AuditAction> = new Set(['record.open', 'record.section', 'incidents.list', 'patients.search', 'export', 'print', 'triage.open', 'triage.write', 'sync.detail', 'conflict.open', 'conflict.resolve', 'careplan.contribute']);

/** The purpose of use an entry records: the fact's own, or the default for its action. */
export function purposeOfUseOf(fact: AuditFact): PurposeOfUse | null {
  if (fact.purposeOfUse !== undefined) return fact.purposeOfUse;
  if (fact.action === 'break-glass') return 'BTG';
  if (fact.action === 'audit.export' || fact.action === 'audit.report') return 'HCOMPL';
  if (fact.action === 'sync.batch' || fact.action === 'purge') return 'HOPERAT';
  return PATIENT_DATA_ACTIONS.has(fact.action) ? 'ETREAT' : null;
}

/** True when the measured offset between device and server clocks is beyond the threshold. */
export function isClockSkewed(clockOffsetMs: number | null | undefined, thresholdMs = CLOCK_SKEW_THRESHOLD_MS): boolean {
  return clockOffsetMs !== null && clockOffsetMs !== undefined && Math.abs(clockOffsetMs) > thresholdMs;
}

function agents(fact: AuditFact): AuditEventAgent[] {
  const userIdentifier = { system: AUDIT_SYSTEMS.userId, value: fact.userId };
  const user: AuditEventAgent = {
    type: { coding: [{ system: SECURITY_ROLE, code: 'humanuser' }] },
    who: fact.practitionerId ? { reference: `Practitioner/${fact.practitionerId}`, identifier: userIdentifier } : { identifier: userIdentifier },
    role: fact.role ? [{ coding: [{ system: SYSTEMS.staffRole, code: fact.role }] }] : undefined,
    requestor: true,
  };
  const device: AuditEventAgent = {
    type: { coding: [{ system: DCM, code: '110150' }] }, // Application
    who: { identifier: { system: AUDIT_SYSTEMS.deviceId, value: fact.deviceId }, display: `OnScene ${fact.appVersion}` },
    requestor: false,
  };
  const organization: AuditEventAgent[] = fact.organizationId
    ? [{ type: { coding: [{ system: ROLE_CLASS, code: 'PROV' }] }, who: { reference: `Organization/${fact.organizationId}` }, requestor: false }]
    : [];
  return [user, device, ...organization];
}

function detailsOf(detail: AuditDetail | undefined): AuditEventEntity['detail'] {
  if (!detail) return undefined;
  const out: NonNullable<AuditEventEntity['detail']> = [];
  if (detail.section !== undefined) out.push({ type: 'section', valueString: detail.section });
  if (detail.count !== undefined) out.push({ type: 'count', valueString: String(detail.count) });
  if (detail.format !== undefined) out.push({ type: 'format', valueString: detail.format });
  return out.length ? out : undefined;
}

function entities(fact: AuditFact): AuditEventEntity[] | undefined {
  const list: AuditEventEntity[] = [];
  const detail = detailsOf(fact.detail);
  if (fact.patientId) {
    const nhs = fact.patientNhsNumber ? { identifier: { system: SYSTEMS.nhsNumber, value: fact.patientNhsNumber } } : {};
    list.push({
      what: { reference: `Patient/${fact.patientId}`, ...nhs },
      type: { system: ENTITY_TYPE, code: '1' }, // Person
      role: { system: OBJECT_ROLE, code: '1' }, // Patient
      detail,
    });
  } else if (detail) {
    list.push({ type: { system: ENTITY_TYPE, code: '2' }, detail }); // System Object
  }
  if (fact.detail?.query !== undefined) {
    // System Object in the Query role (BALP PatientQuery).
    list.push({ type: { system: ENTITY_TYPE, code: '2' }, role: { system: OBJECT_ROLE, code: '24' }, query: base64Utf8(fact.detail.query) });
  }
  return list.length ? list : undefined;
}

function extensions(fact: AuditFact): Extension[] {
  const offset = fact.clockOffsetMs ?? null;
  return [
    { url: `${EXT}device-offline`, valueBoolean: fact.isOffline },
    ...(fact.lastServerTimeAt ? [{ url: `${EXT}last-server-time`, valueInstant: fact.lastServerTimeAt }] : []),
    // Seconds: the HTTP Date we measure against has one-second resolution, and it fits valueInteger.
    ...(offset !== null ? [{ url: `${EXT}clock-offset-seconds`, valueInteger: Math.round(offset / 1000) }] : []),
    { url: `${EXT}clock-skewed`, valueBoolean: isClockSkewed(offset) },
  ];
}

/**
 * Builds the FHIR R4 AuditEvent for one fact, following BALP: who (user, role, organisation),
 * device (id, app version), patient, what, purpose of use, outcome, offline flag, device time
 * (`recorded`), last server time and a clock-skew flag.
 */
export function toAuditEvent(fact: AuditFact, id: string): AuditEvent {
  const shape = EVENT_SHAPES[fact.action];
  const purposeCode = purposeOfUseOf(fact);
  const purposeOfEvent =
    purposeCode || fact.purpose
      ? [{ ...(purposeCode ? { coding: [{ system: ACT_REASON, code: purposeCode }] } : {}), ...(fact.purpose ? { text: fact.purpose } : {}) }]
      : undefined;
  return {
    resourceType: 'AuditEvent',
    id,
    type: shape.type,
    subtype: [...shape.subtype, { system: AUDIT_SYSTEMS.action, code: fact.action }],
    action: shape.action,
    recorded: fact.recordedAt,
    outcome: fact.outcome === 'success' ? '0' : '4',
    purposeOfEvent,
    agent: agents(fact),
    source: {
      observer: { identifier: { system: AUDIT_SYSTEMS.deviceId, value: fact.deviceId }, display: `OnScene ${fact.appVersion}` },
      type: [{ system: SOURCE_TYPE, code: '1' }], // End-user display device
    },
    entity: entities(fact),
    extension: extensions(fact),
  };
}
