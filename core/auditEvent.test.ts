import { describe, expect, it } from 'vitest';
import { base64Utf8 } from './auditEncoding';
import { AUDIT_ACTIONS, type AuditFact, CLOCK_SKEW_THRESHOLD_MS, isClockSkewed, toAuditEvent } from './auditEvent';
import { summarizeAuditEvent } from './auditView';
import { canonicalJson } from './canonicalJson';

const fact: AuditFact = {
  action: 'record.open',
  recordedAt: '2026-03-01T10:00:00.000Z',
  userId: 'demo-paramedic-1',
  practitionerId: 'prac-demo-paramedic-1',
  role: 'paramedic',
  organizationId: 'org-ambulance',
  deviceId: 'onscene-device-1',
  appVersion: '0.1.0',
  patientId: 'pat-000001',
  patientNhsNumber: '9990000018',
  purpose: 'incident task-000001-active',
  outcome: 'success',
  isOffline: true,
  lastServerTimeAt: '2026-03-01T09:00:00.000Z',
  clockOffsetMs: 2_000,
};

describe('toAuditEvent (BALP)', () => {
  it('records who, device, patient, purpose, outcome, offline, device and server time', () => {
    const event = toAuditEvent(fact, 'e-1');
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      id: 'e-1',
      type: { code: 'rest' },
      action: 'R',
      recorded: fact.recordedAt,
      outcome: '0',
      purposeOfEvent: [{ coding: [{ code: 'ETREAT' }], text: fact.purpose }],
      source: { observer: { identifier: { value: 'onscene-device-1' }, display: 'OnScene 0.1.0' } },
    });
    expect(event.subtype?.map((c) => c.code)).toEqual(['read', 'record.open']);
    const [user, device, organization] = event.agent;
    expect(user).toMatchObject({ requestor: true, who: { reference: 'Practitioner/prac-demo-paramedic-1', identifier: { value: 'demo-paramedic-1' } } });
    expect(user?.role?.[0]?.coding?.[0]?.code).toBe('paramedic');
    expect(device).toMatchObject({ requestor: false, who: { identifier: { value: 'onscene-device-1' }, display: 'OnScene 0.1.0' } });
    expect(organization).toMatchObject({ requestor: false, who: { reference: 'Organization/org-ambulance' } });
    expect(event.entity?.[0]).toMatchObject({ what: { reference: 'Patient/pat-000001', identifier: { value: '9990000018' } }, role: { code: '1' } });
    expect(summarizeAuditEvent(event)).toEqual({
      purpose: fact.purpose,
      purposeOfUse: 'ETREAT',
      outcome: 'success',
      role: 'paramedic',
      deviceId: 'onscene-device-1',
      organizationId: 'org-ambulance',
      isOffline: true,
      isClockSkewed: false,
      lastServerTimeAt: fact.lastServerTimeAt,
      section: null,
    });
  });

  it('flags a device clock more than the threshold away from the server', () => {
    expect(isClockSkewed(CLOCK_SKEW_THRESHOLD_MS)).toBe(false);
    expect(isClockSkewed(-CLOCK_SKEW_THRESHOLD_MS - 1)).toBe(true);
    expect(isClockSkewed(null)).toBe(false);
    const event = toAuditEvent({ ...fact, clockOffsetMs: -10 * 60_000 }, 'e-2');
    expect(summarizeAuditEvent(event).isClockSkewed).toBe(true);
    expect(event.extension).toContainEqual({ url: expect.stringContaining('clock-offset-seconds'), valueInteger: -600 });
  });

  it('keeps a search query the BALP PatientQuery way (base64, UTF-8)', () => {
    const event = toAuditEvent({ ...fact, action: 'patients.search', patientId: null, detail: { query: 'name=Zoë' } }, 'e-3');
    expect(event.entity).toEqual([expect.objectContaining({ role: expect.objectContaining({ code: '24' }), query: base64Utf8('name=Zoë') })]);
    expect(base64Utf8('name=Zoë')).toBe(Buffer.from('name=Zoë', 'utf8').toString('base64'));
    for (const text of ['', 'a', 'ab', 'abc', '😀 ✓']) expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it('marks break-glass with purpose BTG and a failed sign-in as a failure', () => {
    const breakGlass = toAuditEvent({ ...fact, action: 'break-glass', purpose: 'Unconscious, no incident link' }, 'e-4');
    expect(breakGlass.purposeOfEvent?.[0]).toEqual({ coding: [{ system: expect.any(String), code: 'BTG' }], text: 'Unconscious, no incident link' });
    expect(breakGlass.type.code).toBe('110113');
    const failed = toAuditEvent({ ...fact, action: 'login.failed', patientId: null, outcome: 'failure' }, 'e-5');
    expect(failed.outcome).toBe('4');
    expect(failed.entity).toBeUndefined();
  });

  it('builds a serialisable event for every action', () => {
    for (const action of AUDIT_ACTIONS) {
      const event = toAuditEvent({ ...fact, action, detail: { section: 'care-plans', count: 3, format: 'csv' } }, `e-${action}`);
      expect(event.subtype?.at(-1)?.code).toBe(action);
      expect(event.agent.every((a) => typeof a.requestor === 'boolean')).toBe(true);
      expect(() => canonicalJson(event)).not.toThrow();
    }
  });
});
