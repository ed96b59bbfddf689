import fc from 'fast-check';
import type { Consent, Flag, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { SNOMED_CPR, SYSTEMS } from './fhirCodes';
import * as fx from './record/recordFixtures';
import { type CachedResource, buildPatientRecordView, resuscitationView } from './recordView';
import { patientRecordViewSchema } from './views';

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
const cached = <T extends Resource>(resource: T, syncedAt = fresh): CachedResource<T> => ({ resource, syncedAt });

describe('resuscitationView', () => {
  it('never says "none recorded" when the Consents were never confirmed complete', () => {
    for (const view of [resuscitationView([], options), resuscitationView([], { ...options, consentConfirmedAt: null })]) {
      expect(view).toMatchObject({ status: 'not-yet-confirmed', confirmedAt: null, isPossiblyStale: true, decidedAt: null });
      expect(view.headline).toBe('Resuscitation decision not yet confirmed — check other sources');
    }
  });
  it('dates "none recorded" by when the Consent pull last confirmed it', () => {
    expect(resuscitationView([], { ...options, consentConfirmedAt: fresh })).toMatchObject({ status: 'none-recorded', confirmedAt: fresh, isPossiblyStale: false });
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
  it('reads DNACPR with who, when and the note, confirmed at the later of the pull and the stored version', () => {
    const view = resuscitationView([cached(consent('dnacpr', 'deny', '2026-01-01'), old)], { ...options, consentConfirmedAt: fresh });
    expect(view).toMatchObject({ status: 'dnacpr', decidedBy: 'Dr Synthetic', note: 'Comfort care', decidedAt: '2026-01-01', confirmedAt: fresh, isPossiblyStale: false });
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
  it('puts safety warnings first, keeps inactive alerts out of the current list, and reports the oldest sync time', () => {
    const view = buildPatientRecordView(cached(patient), [cached(flag('f1', 'clinical')), cached(flag('f2', 'safety')), cached(flag('f3', 'safety', 'inactive'), old)], options);
    expect(view.patient).toMatchObject({ name: 'Testy SYNTHETIC', nhsNumber: '9990000018' });
    expect(view.alerts.map((a) => a.id)).toEqual(['f2', 'f1']);
    expect(view.past.alerts.map((a) => a.id)).toEqual(['f3']);
    expect(view.alerts[0]?.isSafetyWarning).toBe(true);
    expect(view.syncedAt).toBe(old);
    expect(view.resuscitation.status).toBe('not-yet-confirmed');
  });
  it('dates "none recorded" by the Consent confirmation, not by the Patient re-stamped every run', () => {
    expect(buildPatientRecordView(cached(patient), [], options).resuscitation.status).toBe('not-yet-confirmed');
    const view = buildPatientRecordView(cached(patient), [], { ...options, consentConfirmedAt: old });
    expect(view.resuscitation).toMatchObject({ status: 'none-recorded', confirmedAt: old, isPossiblyStale: true });
  });
  it('confirms each item at the later of its type’s last completed pull and its stored version', () => {
    const view = buildPatientRecordView(cached(patient), [cached(flag('f1', 'clinical'), old), cached(fx.peanutAllergy, old)], { ...options, confirmedAtByType: { Flag: fresh } });
    expect(view.alerts[0]?.confirmedAt).toBe(fresh);
    expect(view.allergies[0]?.confirmedAt).toBe(old);
    expect(view.staleAfterMs).toBe(12 * 3600_000);
  });
  it('reads every shape of a real record into a view the contract accepts', () => {
    const resources = [
      fx.enteredInErrorAllergy, fx.peanutAllergy, fx.noKnownDrugAllergy, fx.epinephrineRequest, fx.containedMedicationRequest,
      fx.timololMedication, fx.referencedMedicationRequest, fx.dietFlag, fx.endedInfectionFlag, fx.narrativeOnlyPlan,
      fx.endedPlan('e1', '2025-01-01'), fx.endedPlan('e2', '2025-02-01'), fx.endedPlan('e3', '2025-03-01'), fx.respectConsent, fx.adrtConsent,
      fx.eolForm, fx.encounter('enc', '2026-06-01'), fx.procedure, fx.immunization, fx.dnacprDocument, fx.daughter, fx.careTeam,
    ].map((r) => cached(r));
    const view = buildPatientRecordView(cached({ ...fx.ukCorePatient, deceasedDateTime: '2026-11-24T03:10:00Z' }), resources, {
      ...options,
      confirmedAtByType: { AllergyIntolerance: fresh, CarePlan: fresh, MedicationRequest: fresh },
      withheld: { reason: 'restricted', count: 1, types: ['Condition'] },
    });
    expect(patientRecordViewSchema.parse(view)).toEqual(view);
    expect(view.patient).toMatchObject({ isDeceased: true, deceasedAt: '2026-11-24T03:10:00Z' });
    expect(view.medications.map((m) => m.text)).toEqual([
      'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector', 'Paracetamol 500mg tablets', 'Timolol 0.25% eye drops',
    ]);
    expect(view.allergies.map((a) => a.substance)).toEqual(['Allergy to peanuts']);
    expect(view.allergyStatements.map((s) => s.text)).toEqual(['No known drug allergy']);
    expect(view.carePlans).toHaveLength(1);
    expect(view.past.carePlans).toHaveLength(3);
    expect(view.resuscitation.status).toBe('respect-not-for-cpr');
    expect(view.resuscitation.related.map((r) => r.kind)).toEqual(['advance-decision', 'form', 'document']);
    expect(view.coverage.carePlans.state).toBe('confirmed');
    expect(view.coverage.medications).toMatchObject({ state: 'partly-downloaded', notDownloaded: ['medication records'] });
    expect(view.coverage.conditions).toMatchObject({ state: 'not-downloaded', isWithheld: true });
    expect(view.withheld).toMatchObject({ count: 1, types: ['conditions'] });
    expect(view.contacts.map((c) => c.kind)).toEqual(['patient-contact', 'related-person', 'care-team']);
    expect(view.communication.interpreterRequired).toBe(true);
  });

  // fast-check keeps generated strings short by default: long texts are built to a chosen length.
  const longText = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 1990, max: 9500 })).map(([s, n]) => `${s} lorem `.repeat(Math.ceil(n / 7)).slice(0, n)),
  );
  const when = fc.oneof(fc.constant(undefined), fc.constantFrom('2026', '2026-11', '2026-11-24', '2026-11-24T09:00:00Z', 'garbage', '2026-11-24T09:00:00.123456789+05:30'));
  const anyResource: fc.Arbitrary<Resource> = fc.oneof(
    fc.record({ t: longText, s: fc.constantFrom('active', 'inactive', 'resolved', 'entered-in-error'), w: when }).map(({ t, s, w }) => ({
      ...fx.peanutAllergy, id: t.slice(0, 60), code: { text: t }, clinicalStatus: { coding: [{ code: s }] }, recordedDate: w, note: [{ text: t }],
      reaction: [{ manifestation: [{ text: t }], description: t }],
    })),
    fc.record({ t: longText, s: fc.constantFrom('active', 'completed', 'on-hold', 'stopped', 'entered-in-error' as const), w: when }).map(({ t, s, w }) => ({
      ...fx.containedMedicationRequest, status: s, authoredOn: w, dosageInstruction: [{ text: t }], contained: [{ resourceType: 'Medication' as const, id: 'med1', code: { text: t } }],
    })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.narrativeOnlyPlan, text: { status: 'generated' as const, div: `<div>${t}</div>` }, title: t, period: { end: w } })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.respectConsent, dateTime: w, extension: [{ url: t, valueString: t }], sourceAttachment: { title: t } })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.eolForm, authored: w, questionnaire: t, item: [{ linkId: 'a', text: t, answer: [{ valueString: t }] }] })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.dnacprDocument, date: w, description: t, content: [{ attachment: { title: t, contentType: t } }] })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.daughter, name: [{ text: t, family: t }], telecom: [{ system: 'phone' as const, value: t }], meta: { source: t, lastUpdated: w } })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.encounter('e', w ?? ''), type: [{ text: t }], serviceProvider: { display: t } })),
    fc.record({ t: longText, w: when }).map(({ t, w }) => ({ ...fx.dietFlag, code: { text: t }, category: [{ text: t }], period: { start: w, end: w } })),
  );
  it('always builds a view the contract accepts, whatever the text lengths and dates (property)', () => {
    fc.assert(
      fc.property(fc.array(anyResource, { maxLength: 8 }), when, longText, (resources, confirmed, name) => {
        const view = buildPatientRecordView(cached({ ...fx.ukCorePatient, name: [{ text: name }], deceasedDateTime: confirmed }), resources.map((r) => cached(r, confirmed ?? fresh)), {
          ...options,
          consentConfirmedAt: confirmed ?? null,
          confirmedAtByType: confirmed ? { Flag: confirmed, CarePlan: confirmed } : {},
        });
        expect(patientRecordViewSchema.safeParse(view).success).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
