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
  it('says "none recorded" when there is no decision, never a decision', () => {
    const view = resuscitationView([], options);
    expect(view.status).toBe('none-recorded');
    expect(view.headline).toMatch(/No resuscitation decision recorded/);
    expect(view.syncedAt).toBeNull();
    expect(view.isPossiblyStale).toBe(true);
  });
  it('dates "none recorded" by when the record was last confirmed', () => {
    expect(resuscitationView([], options, fresh)).toMatchObject({ status: 'none-recorded', syncedAt: fresh, isPossiblyStale: false });
    expect(resuscitationView([], options, old).isPossiblyStale).toBe(true);
  });
  it('reads DNACPR with who, when and the note', () => {
    const view = resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'))], options);
    expect(view).toMatchObject({ status: 'dnacpr', decidedBy: 'Dr Synthetic', note: 'Comfort care', decidedAt: '2026-01-01', isPossiblyStale: false });
  });
  it('distinguishes the two ReSPECT recommendations', () => {
    expect(resuscitationView([cached(consent('respect', 'permit', '2026-01-01'))], options).status).toBe('respect-for-cpr');
    expect(resuscitationView([cached(consent('respect', 'deny', '2026-01-01'))], options).status).toBe('respect-not-for-cpr');
  });
  it('uses the most recent active decision and ignores inactive ones', () => {
    const view = resuscitationView(
      [cached(consent('respect', 'permit', '2025-01-01')), cached(consent('dnacpr', 'deny', '2026-03-01')), cached(consent('respect', 'permit', '2026-06-01', 'inactive'))],
      options,
    );
    expect(view.status).toBe('dnacpr');
  });
  it('flags a decision not confirmed within the threshold as possibly stale', () => {
    expect(resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'), old)], options).isPossiblyStale).toBe(true);
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
    expect(view.resuscitation.status).toBe('none-recorded');
  });
});
