import type { MedicationRequest, MedicationStatement } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { MEDICATION_NOT_NAMED, dosageText, medicationViews, timingText } from './medications';
import { cachedAt, containedMedicationRequest, epinephrineRequest, fixtureContext, referencedMedicationRequest, timololMedication } from './recordFixtures';

const statement = (over: Partial<MedicationStatement>): MedicationStatement => ({
  resourceType: 'MedicationStatement', id: 'ms', status: 'active', subject: { reference: 'Patient/fx-patient' }, medicationCodeableConcept: { text: 'Ramipril 5mg capsules' }, ...over,
});

describe('medicationViews', () => {
  it('shows the active epinephrine auto-injector MedicationRequest (the issue’s missing medicine)', () => {
    const { current } = medicationViews([cachedAt(epinephrineRequest)], [], fixtureContext());
    expect(current).toEqual([{
      id: 'fx-medreq-epi',
      confirmedAt: '2026-11-24T09:00:00Z',
      source: { by: 'Dr Priya Nair', organisation: null, at: '2012-05-01T10:00:00+01:00', system: null },
      text: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector',
      detail: 'When required',
      recordKind: 'prescription',
      status: 'active',
      isDoNotGive: false,
      reason: null,
      since: '2012-05-01T10:00:00+01:00',
      until: null,
    }]);
  });
  it('names a contained Medication and builds the dose from dose, route and timing', () => {
    const [view] = medicationViews([cachedAt(containedMedicationRequest)], [], fixtureContext()).current;
    expect(view).toMatchObject({ text: 'Paracetamol 500mg tablets', detail: '2 tablet, Oral, 4 times a day', until: '2027-04-01' });
  });
  it('names a Medication sent in the list by reference, or says it is not named', () => {
    const withMed = medicationViews([cachedAt(referencedMedicationRequest)], [], fixtureContext([timololMedication])).current[0];
    expect(withMed).toMatchObject({ text: 'Timolol 0.25% eye drops', detail: 'One drop 3 times a day', source: { by: 'Dr Paul Rastall' } });
    const without = medicationViews([cachedAt(referencedMedicationRequest)], [], fixtureContext()).current[0];
    expect(without?.text).toBe(MEDICATION_NOT_NAMED);
    const byDisplay = { ...referencedMedicationRequest, medicationReference: { reference: 'Medication/gone', display: 'Timolol drops' } };
    expect(medicationViews([cachedAt(byDisplay)], [], fixtureContext()).current[0]?.text).toBe('Timolol drops');
  });
  it('is current only while active or on hold and within its validity period; entered-in-error never shown', () => {
    const expired: MedicationRequest = { ...containedMedicationRequest, id: 'expired', dispenseRequest: { validityPeriod: { end: '2026-01-01' } } };
    const onHold: MedicationRequest = { ...epinephrineRequest, id: 'hold', status: 'on-hold' };
    const stopped: MedicationRequest = { ...epinephrineRequest, id: 'stopped', status: 'stopped' };
    const error: MedicationRequest = { ...epinephrineRequest, id: 'error', status: 'entered-in-error' };
    const { current, past } = medicationViews([expired, onHold, stopped, error].map((r) => cachedAt(r)), [], fixtureContext());
    expect(current.map((m) => [m.id, m.status])).toEqual([['hold', 'on-hold']]);
    expect(past.map((m) => m.id)).toEqual(['expired', 'stopped']);
  });
  it('reads MedicationStatement: active and intended current, ended period and completed past', () => {
    const { current, past } = medicationViews(
      [],
      [
        cachedAt(statement({ id: 'a', dosage: [{ text: 'One each morning' }], informationSource: { display: 'Sample Street Surgery', reference: 'Organization/gp' } })),
        cachedAt(statement({ id: 'i', status: 'intended' })),
        cachedAt(statement({ id: 'ended', effectivePeriod: { start: '2025-01-01', end: '2025-02-01' } })),
        cachedAt(statement({ id: 'c', status: 'completed' })),
        cachedAt(statement({ id: 'e', status: 'entered-in-error' })),
      ],
      fixtureContext(),
    );
    expect(current.map((m) => m.id)).toEqual(['a', 'i']);
    expect(current[0]).toMatchObject({ detail: 'One each morning', recordKind: 'statement', source: { by: null, organisation: 'Sample Street Surgery' } });
    expect(past.map((m) => m.id)).toEqual(['ended', 'c']);
  });
  it('puts an instruction not to give first', () => {
    const dont: MedicationRequest = { ...epinephrineRequest, id: 'dont', doNotPerform: true, medicationCodeableConcept: { text: 'Morphine' } };
    const { current } = medicationViews([cachedAt(epinephrineRequest), cachedAt(dont)], [], fixtureContext());
    expect(current.map((m) => [m.id, m.isDoNotGive])).toEqual([['dont', true], ['fx-medreq-epi', false]]);
  });
});

describe('dose text', () => {
  it('says timings the way prescriptions do', () => {
    expect(timingText({ repeat: { frequency: 1, period: 1, periodUnit: 'd' } })).toBe('once a day');
    expect(timingText({ repeat: { frequency: 2, period: 1, periodUnit: 'd' } })).toBe('twice a day');
    expect(timingText({ repeat: { frequency: 1, period: 8, periodUnit: 'h' } })).toBe('every 8 hours');
    expect(timingText({ repeat: { frequency: 1, period: 1, periodUnit: 'wk' } })).toBe('once a week');
    expect(timingText({ code: { text: 'At night' } })).toBe('At night');
    expect(timingText(undefined)).toBeNull();
  });
  it('prefers the dosage text and says "when required for" a reason', () => {
    expect(dosageText({ text: 'As directed', doseAndRate: [{ doseQuantity: { value: 1 } }] })).toBe('As directed');
    expect(dosageText({ doseAndRate: [{ doseRange: { low: { value: 1, unit: 'puff' }, high: { value: 2, unit: 'puff' } } }], asNeededCodeableConcept: { text: 'wheeze' } })).toBe('1 puff to 2 puff, when required for wheeze');
    expect(dosageText({})).toBeNull();
  });
});
