import type { Consent, Flag, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { SNOMED_CPR, SYSTEMS } from './fhirCodes';
import { type CachedResource, buildPatientRecordView, resuscitationView } from './recordView';

const now = new Date('2026-11-24T10:00:00Z');
const options = { now, isOffline: false, staleAfterMs: 12 * 3600_000 };
const fresh = '2026-11-24T09:00:00Z';
const old = '2026-11-22T09:00:00Z';

function consent(kind: 'dnacpr' | 'respect', type: 'deny' | 'permit', dateTime: string, status: Consent['status'] = 'active'): Consent {
  return {
    resourceType: 'Consent',
    id: `c-${kind}-${dateTime}`,
    status,
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'adr' }] },
    category: [{ coding: [{ system: SYSTEMS.resusDecision, code: kind }] }],
    dateTime,
    performer: [{ display: 'Dr Synthetic' }],
    provision: { type, code: [{ coding: [{ system: SYSTEMS.snomed, code: SNOMED_CPR }] }] },
    extension: [{ url: SYSTEMS.decisionNote, valueString: 'Comfort care' }],
  };
}
const cached = <T extends Consent | Flag | Patient>(resource: T, syncedAt = fresh): CachedResource<T> => ({ resource, syncedAt });

describe('resuscitationView', () => {
  it('never says "none recorded" when the Consents were never confirmed complete', () => {
    for (const view of [resuscitationView([], options), resuscitationView([], { ...options, consentConfirmedAt: null })]) {
      expect(view).toMatchObject({ status: 'not-yet-confirmed', syncedAt: null, isPossiblyStale: true, decidedAt: null });
      expect(view.headline).toBe('Resuscitation decision not yet confirmed — check other sources');
    }
  });
  it('dates "none recorded" by when the Consent pull last confirmed it', () => {
    expect(resuscitationView([], { ...options, consentConfirmedAt: fresh })).toMatchObject({ status: 'none-recorded', syncedAt: fresh, isPossiblyStale: false });
    expect(resuscitationView([], { ...options, consentConfirmedAt: old }).isPossiblyStale).toBe(true);
    expect(resuscitationView([], { ...options, consentConfirmedAt: 'not a time' }).isPossiblyStale).toBe(true);
  });
  it('says a resuscitation record could not be read, even beside a readable decision', () => {
    const alone = resuscitationView([], { ...options, consentConfirmedAt: fresh, unreadableTypes: ['Consent'] });
    expect(alone).toMatchObject({ status: 'unreadable', headline: 'A resuscitation record could not be read — check other sources', isPossiblyStale: true });
    const beside = resuscitationView([cached(consent('respect', 'permit', '2026-01-01'))], { ...options, consentConfirmedAt: fresh, unreadableTypes: ['Consent'] });
    expect(beside).toMatchObject({ status: 'unreadable', decidedBy: null, note: 'A readable record says: ReSPECT: for CPR.' });
    expect(resuscitationView([], { ...options, consentConfirmedAt: fresh, unreadableTypes: ['Flag'] }).status).toBe('none-recorded');
  });
  it('reads DNACPR with who, when and the note', () => {
    const view = resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'))], options);
    expect(view).toMatchObject({ status: 'dnacpr', decidedBy: 'Dr Synthetic', note: 'Comfort care', decidedAt: '2026-01-01', isPossiblyStale: false });
  });
  it('distinguishes the two ReSPECT recommendations', () => {
    expect(resuscitationView([cached(consent('respect', 'permit', '2026-01-01'))], options).status).toBe('respect-for-cpr');
    expect(resuscitationView([cached(consent('respect', 'deny', '2026-01-01'))], options).status).toBe('respect-not-for-cpr');
  });
  it('shows active decisions that disagree as conflicting, never silently the newest', () => {
    const view = resuscitationView(
      [cached(consent('respect', 'permit', '2025-01-01')), cached(consent('dnacpr', 'deny', '2026-03-01')), cached(consent('respect', 'permit', '2026-06-01', 'inactive'))],
      options,
    );
    expect(view).toMatchObject({ status: 'conflicting', decidedAt: null, isPossiblyStale: true });
    expect(view.headline).toMatch(/for-CPR and a not-for-CPR decision.*check the paper form/);
  });
  it('uses the most recent active decision by instant, not by string, and ignores inactive ones', () => {
    // 09:00+02:00 is 07:00Z, earlier than 08:00Z although it sorts later as a string.
    const older = { ...consent('respect', 'deny', '2026-03-01T09:00:00+02:00'), extension: [{ url: SYSTEMS.decisionNote, valueString: 'older' }] };
    const newer = { ...consent('dnacpr', 'deny', '2026-03-01T08:00:00Z'), extension: [{ url: SYSTEMS.decisionNote, valueString: 'newer' }] };
    const view = resuscitationView([cached(older), cached(newer), cached(consent('respect', 'permit', '2026-06-01', 'inactive'))], options);
    expect(view).toMatchObject({ status: 'dnacpr', note: 'newer' });
  });
  it('ignores a decision whose period has ended', () => {
    const ended = { ...consent('dnacpr', 'deny', '2026-01-01'), provision: { ...consent('dnacpr', 'deny', '2026-01-01').provision, period: { end: '2026-11-01' } } };
    const current = { ...consent('respect', 'permit', '2025-01-01'), provision: { ...consent('respect', 'permit', '2025-01-01').provision, period: { end: '2027-01-01' } } };
    expect(resuscitationView([cached(ended), cached(current)], options).status).toBe('respect-for-cpr');
    expect(resuscitationView([cached(ended)], { ...options, consentConfirmedAt: fresh }).status).toBe('none-recorded');
  });
  it('flags a decision not confirmed within the threshold, or at an unreadable time, as possibly stale', () => {
    expect(resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'), old)], options).isPossiblyStale).toBe(true);
    expect(resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'), '')], options).isPossiblyStale).toBe(true);
  });
});

describe('buildPatientRecordView', () => {
  const patient: Patient = {
    resourceType: 'Patient',
    id: 'pat-1',
    identifier: [{ system: SYSTEMS.nhsNumber, value: '9990000018' }],
    name: [{ use: 'official', given: ['Testy'], family: 'Synthetic' }],
    birthDate: '1940-02-03',
  };
  const flag = (id: string, category: string, status: Flag['status'] = 'active'): Flag => ({
    resourceType: 'Flag',
    id,
    status,
    category: [{ coding: [{ system: SYSTEMS.flagCategory, code: category }] }],
    code: { text: `${category} alert` },
    subject: { reference: 'Patient/pat-1' },
  });
  it('puts safety warnings first, drops inactive alerts, and reports the oldest sync time', () => {
    const view = buildPatientRecordView(cached(patient), [cached(flag('f1', 'clinical')), cached(flag('f2', 'safety')), cached(flag('f3', 'safety', 'inactive'), old)], options);
    expect(view.patient).toMatchObject({ name: 'Testy SYNTHETIC', nhsNumber: '9990000018' });
    expect(view.alerts.map((a) => a.id)).toEqual(['f2', 'f1']);
    expect(view.alerts[0]?.isSafetyWarning).toBe(true);
    expect(view.syncedAt).toBe(old);
    expect(view.resuscitation.status).toBe('not-yet-confirmed');
  });
  it('dates "none recorded" by the Consent confirmation, not by the Patient re-stamped every run', () => {
    expect(buildPatientRecordView(cached(patient), [], options).resuscitation.status).toBe('not-yet-confirmed');
    const view = buildPatientRecordView(cached(patient), [], { ...options, consentConfirmedAt: old });
    expect(view.resuscitation).toMatchObject({ status: 'none-recorded', syncedAt: old, isPossiblyStale: true });
  });
});
