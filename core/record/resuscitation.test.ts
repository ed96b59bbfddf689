import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildPatientRecordView, resuscitationView } from '../recordView';
import { cprDirection } from './consentReading';
import { FIXTURE_NOW, FIXTURE_SYNCED_AT, adrtConsent, cachedAt, dietFlag, dnacprDocument, eolForm, geccoConsent, narrativeOnlyPlan, respectConsent, ukCorePatient } from './recordFixtures';

const options = { now: FIXTURE_NOW, isOffline: false, staleAfterMs: 12 * 3600_000, consentConfirmedAt: FIXTURE_SYNCED_AT };
const CPR = { coding: [{ system: 'http://snomed.info/sct', code: '89666000' }] };

describe('resuscitation decisions in the shapes real records use', () => {
  it('reads the CPR code at any provision depth, with the ReSPECT content the record holds', () => {
    const view = resuscitationView([cachedAt(respectConsent)], options);
    expect(view).toMatchObject({
      status: 'respect-not-for-cpr',
      headline: 'ReSPECT: CPR not recommended',
      decidedAt: '2026-03-04T11:30:00Z',
      decidedBy: 'Dr Ngozi OKAFOR',
      organisation: 'Sample Street Surgery',
      form: 'ReSPECT form signed 4 March 2026',
      confirmedAt: FIXTURE_SYNCED_AT,
      isPossiblyStale: false,
    });
    expect(view.treatments).toEqual([{ isRecommended: false, text: 'Intubation and ventilation' }, { isRecommended: true, text: 'Antibiotics by mouth' }]);
    expect(view.details).toEqual([
      { label: 'Respect clinical recommendation', value: 'Focus on comfort; treat reversible causes at home' },
      { label: 'Respect preferences: preferred place of care', value: 'Home' },
    ]);
    expect(view.people).toEqual([{ name: 'Tom Carver (son)', role: 'Discussed with' }]);
  });
  it('inherits the type of a parent provision when the CPR provision has none', () => {
    const consent: Consent = { ...respectConsent, category: [], sourceAttachment: undefined, provision: { type: 'deny', provision: [{ code: [CPR] }] } };
    expect(cprDirection(consent)).toBe('not-for-cpr');
    expect(resuscitationView([cachedAt(consent)], options).status).toBe('dnacpr');
  });
  it('reads the GECCO shape: SNOMED 304253006 Not for resuscitation, 304252001 For resuscitation, unknown as unreadable', () => {
    expect(resuscitationView([cachedAt(geccoConsent('304253006'))], options)).toMatchObject({ status: 'dnacpr', headline: 'DNACPR: do not attempt CPR' });
    expect(resuscitationView([cachedAt(geccoConsent('304252001'))], options)).toMatchObject({ status: 'respect-for-cpr', headline: 'For CPR: attempt resuscitation' });
    expect(resuscitationView([cachedAt(geccoConsent('261665006'))], options)).toMatchObject({
      status: 'unreadable', headline: 'A resuscitation record does not say whether CPR should be attempted — check other sources', isPossiblyStale: true,
    });
  });
  it('says not-for-CPR as a category code too', () => {
    const consent: Consent = { ...adrtConsent, id: 'cat', category: [{ coding: [{ system: 'http://snomed.info/sct', code: '304253006', display: 'Not for resuscitation' }] }], provision: undefined };
    expect(resuscitationView([cachedAt(consent)], options).status).toBe('dnacpr');
  });
  it('treats a CPR provision with no type anywhere as unreadable, never as "for CPR"', () => {
    const consent: Consent = { ...respectConsent, provision: { code: [CPR] } };
    expect(resuscitationView([cachedAt(consent)], options).status).toBe('unreadable');
  });
  it('lists an advance decision to refuse treatment beside the decision', () => {
    const view = resuscitationView([cachedAt(respectConsent), cachedAt(adrtConsent)], options);
    expect(view.status).toBe('respect-not-for-cpr');
    expect(view.related).toEqual([{ kind: 'advance-decision', text: 'Advance decision to refuse treatment', where: 'Resuscitation decision', summary: ['Refuses: Blood transfusion'] }]);
  });
  it('never says "none recorded" beside an end-of-life plan recorded as a form', () => {
    const view = buildPatientRecordView(cachedAt(ukCorePatient), [cachedAt(eolForm)], { ...options, confirmedAtByType: { QuestionnaireResponse: FIXTURE_SYNCED_AT } });
    expect(view.resuscitation.status).toBe('none-recorded');
    expect(view.resuscitation.headline).toBe('No DNACPR or ReSPECT decision found, but an end-of-life plan or advance decision is recorded: read it below');
    expect(view.resuscitation.related).toEqual([{
      kind: 'form', text: 'EOL plan example (recorded as a form)', where: 'Forms',
      summary: ['Advance Decision to Refuse Treatment: Yes', 'On End Of Life Register: 2026-11-13'],
    }]);
    expect(view.resuscitation.uncheckedSources).toEqual(['care plans', 'documents']);
    expect(view.forms[0]?.answers.length).toBe(4);
  });
  it('names every other place an advance decision may be: plans, documents, advance-directive alerts', () => {
    const plan = { ...narrativeOnlyPlan, title: 'End of life care plan' };
    const flag = { ...dietFlag, id: 'adv', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'advance-directive' }] }], code: { text: 'Has a lasting power of attorney' } };
    const view = buildPatientRecordView(cachedAt(ukCorePatient), [cachedAt(plan), cachedAt(dnacprDocument), cachedAt(flag)], options);
    expect(view.resuscitation.related.map((r) => [r.kind, r.text, r.where])).toEqual([
      ['end-of-life-plan', 'End of life care plan', 'Care plans'],
      ['document', 'DNACPR form (paper copy)', 'Documents'],
      ['alert', 'Has a lasting power of attorney', 'Alerts'],
    ]);
  });
  it('says restricted information may hold a decision, never "none", when Consents are withheld', () => {
    const withheld = { reason: 'restricted' as const, count: 2, types: ['Consent'] };
    expect(resuscitationView([], { ...options, withheld })).toMatchObject({ status: 'unreadable', headline: 'Restricted information may include a resuscitation decision — check other sources' });
    const objection = resuscitationView([cachedAt(respectConsent)], { ...options, withheld: { reason: 'sharing-objection', count: 9, types: [] } });
    expect(objection).toMatchObject({ status: 'unreadable', note: 'A readable record says: ReSPECT: CPR not recommended.' });
    expect(resuscitationView([], { ...options, withheld: { reason: 'restricted', count: 1, types: ['Flag'] } }).status).toBe('none-recorded');
  });
  it('takes the later of the two Consent confirmation facts', () => {
    const view = resuscitationView([], { ...options, consentConfirmedAt: '2026-11-20T00:00:00Z', confirmedAtByType: { Consent: '2026-11-24T08:00:00Z' } });
    expect(view).toMatchObject({ status: 'none-recorded', confirmedAt: '2026-11-24T08:00:00Z', isPossiblyStale: false });
    expect(resuscitationView([], { ...options, consentConfirmedAt: null, confirmedAtByType: { Consent: '2026-11-24T08:00:00Z' } }).status).toBe('none-recorded');
  });
});
