import type { AuditEvent } from '@medplum/fhirtypes';
import type { StaffRole } from './fhirCodes';

/**
 * What OnScene audits. Each maps to an IHE Basic Audit Log Patterns (BALP) shape:
 * https://profiles.ihe.net/ITI/BALP/
 */
export const AUDIT_ACTIONS = ['record.open', 'incidents.list', 'login', 'login.failed', 'logout', 'sync.batch'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditFact = Readonly<{
  action: AuditAction;
  recordedAt: string;
  userId: string;
  practitionerId: string | null;
  role: StaffRole | null;
  deviceId: string;
  appVersion: string;
  patientId: string | null;
  /** The incident or call reference the access serves; the break-glass reason when there is none. */
  purpose: string | null;
  outcome: 'success' | 'failure';
  isOffline: boolean;
  /** The last time the central record told us (server Date), to judge device clock skew. */
  lastServerTimeAt: string | null;
}>;

const AUDIT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const EXT = 'https://fhir.onscene.example/StructureDefinition/';

const TYPE_BY_ACTION: Record<AuditAction, Pick<AuditEvent, 'type' | 'subtype' | 'action'>> = {
  'record.open': { type: { system: AUDIT_TYPE, code: 'rest' }, subtype: [{ system: RESTFUL, code: 'read' }], action: 'R' },
  'incidents.list': { type: { system: AUDIT_TYPE, code: 'rest' }, subtype: [{ system: RESTFUL, code: 'search' }], action: 'E' },
  login: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: [{ system: DCM, code: '110122', display: 'Login' }], action: 'E' },
  'login.failed': { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: [{ system: DCM, code: '110122', display: 'Login' }], action: 'E' },
  logout: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: [{ system: DCM, code: '110123', display: 'Logout' }], action: 'E' },
  'sync.batch': { type: { system: AUDIT_TYPE, code: 'rest' }, subtype: [{ system: RESTFUL, code: 'search-type' }], action: 'R' },
};

/** Builds the FHIR AuditEvent for one fact (BALP: who, device, patient, purpose, outcome, offline). */
export function toAuditEvent(fact: AuditFact, id: string): AuditEvent {
  const who = fact.practitionerId ? { reference: `Practitioner/${fact.practitionerId}` } : { identifier: { value: fact.userId } };
  return {
    resourceType: 'AuditEvent',
    id,
    ...TYPE_BY_ACTION[fact.action],
    recorded: fact.recordedAt,
    outcome: fact.outcome === 'success' ? '0' : '4',
    purposeOfEvent: fact.purpose ? [{ text: fact.purpose }] : undefined,
    agent: [
      {
        who,
        requestor: true,
        role: fact.role ? [{ text: fact.role }] : undefined,
      },
    ],
    source: { observer: { identifier: { value: fact.deviceId }, display: `OnScene ${fact.appVersion}` } },
    entity: fact.patientId
      ? [{ what: { reference: `Patient/${fact.patientId}` }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1' } }]
      : undefined,
    extension: [
      { url: `${EXT}audit-action`, valueCode: fact.action },
      { url: `${EXT}device-offline`, valueBoolean: fact.isOffline },
      ...(fact.lastServerTimeAt ? [{ url: `${EXT}last-server-time`, valueInstant: fact.lastServerTimeAt }] : []),
    ],
  };
}
