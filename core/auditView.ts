import type { AuditEvent } from '@medplum/fhirtypes';
import { AUDIT_SYSTEMS } from './auditEvent';
import { SYSTEMS } from './fhirCodes';

/** What a reviewer needs from one AuditEvent, read back from the stored resource. */
export type AuditEventSummary = Readonly<{
  purpose: string | null;
  purposeOfUse: string | null;
  outcome: 'success' | 'failure';
  role: string | null;
  deviceId: string | null;
  organizationId: string | null;
  isOffline: boolean;
  isClockSkewed: boolean;
  lastServerTimeAt: string | null;
  section: string | null;
}>;

const ext = (event: AuditEvent, name: string) => event.extension?.find((e) => e.url === `${AUDIT_SYSTEMS.extension}${name}`);

/** Reads the review fields back out of an AuditEvent built by toAuditEvent. */
export function summarizeAuditEvent(event: AuditEvent): AuditEventSummary {
  const user = event.agent.find((a) => a.requestor);
  const organization = event.agent.find((a) => a.who?.reference?.startsWith('Organization/'));
  const purpose = event.purposeOfEvent?.[0];
  return {
    purpose: purpose?.text ?? null,
    purposeOfUse: purpose?.coding?.[0]?.code ?? null,
    outcome: event.outcome === '0' ? 'success' : 'failure',
    role: user?.role?.flatMap((r) => r.coding ?? []).find((c) => c.system === SYSTEMS.staffRole)?.code ?? null,
    deviceId: event.source.observer.identifier?.value ?? null,
    organizationId: organization?.who?.reference?.slice('Organization/'.length) ?? null,
    isOffline: ext(event, 'device-offline')?.valueBoolean === true,
    isClockSkewed: ext(event, 'clock-skewed')?.valueBoolean === true,
    lastServerTimeAt: ext(event, 'last-server-time')?.valueInstant ?? null,
    section: event.entity?.flatMap((e) => e.detail ?? []).find((d) => d.type === 'section')?.valueString ?? null,
  };
}
