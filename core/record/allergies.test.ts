import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { allergyViews, sortedReactions } from './allergies';
import { cachedAt, enteredInErrorAllergy, fixtureContext, noKnownDrugAllergy, peanutAllergy } from './recordFixtures';

const ctx = fixtureContext();
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code }] });
const verification = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code }] });
const latex = (over: Partial<AllergyIntolerance>): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance', id: 'latex', patient: { reference: 'Patient/fx-patient' }, clinicalStatus: clinical('active'), code: { text: 'Latex' }, ...over,
});

describe('allergyViews', () => {
  it('never shows an entered-in-error allergy (UK Core EnteredInError example shape)', () => {
    expect(allergyViews([cachedAt(enteredInErrorAllergy)], ctx)).toEqual({ current: [], statements: [], past: [] });
    // Even one still marked active.
    expect(allergyViews([cachedAt({ ...enteredInErrorAllergy, clinicalStatus: clinical('active') })], ctx).current).toEqual([]);
  });
  it('shows "no known drug allergy" as a statement, not an allergy', () => {
    const views = allergyViews([cachedAt(noKnownDrugAllergy), cachedAt(peanutAllergy)], ctx);
    expect(views.current.map((a) => a.substance)).toEqual(['Allergy to peanuts']);
    expect(views.statements).toMatchObject([{ kind: 'no-known-allergy', text: 'No known drug allergy', source: { at: '2024-02-01' } }]);
  });
  it('shows every reaction, anaphylaxis first then by severity', () => {
    const [view] = allergyViews([cachedAt(peanutAllergy)], ctx).current;
    expect(view?.reactions.map((r) => [r.manifestations.join(), r.severity, r.isAnaphylaxis])).toEqual([
      ['Anaphylaxis', null, true],
      ['Wheal', 'moderate', false],
      ['Eruption of skin', 'mild', false],
    ]);
    expect(view).toMatchObject({ reaction: 'Anaphylaxis', criticality: 'high', verification: 'confirmed', categories: ['food'], source: { by: 'Dr Priya Nair', at: '2012-05-01' } });
  });
  it('sorts severe before mild and unknown severity last', () => {
    const order = sortedReactions([
      { manifestation: [{ text: 'a' }] },
      { manifestation: [{ text: 'b' }], severity: 'mild' },
      { manifestation: [{ text: 'c' }], severity: 'severe' },
    ]).map((r) => r.manifestations[0]);
    expect(order).toEqual(['c', 'b', 'a']);
  });
  it('marks unconfirmed and presumed; refuted is a statement; inactive and resolved are past', () => {
    const views = allergyViews(
      [
        cachedAt(latex({ id: 'u', verificationStatus: verification('unconfirmed') })),
        cachedAt(latex({ id: 'p', verificationStatus: verification('presumed') })),
        cachedAt(latex({ id: 'r', verificationStatus: verification('refuted'), code: { text: 'Penicillin' } })),
        cachedAt(latex({ id: 'old', clinicalStatus: clinical('resolved') })),
      ],
      ctx,
    );
    expect(views.current.map((a) => [a.id, a.verification])).toEqual([['u', 'unconfirmed'], ['p', 'presumed']]);
    expect(views.statements).toMatchObject([{ id: 'r', kind: 'refuted', text: 'Ruled out: Penicillin' }]);
    expect(views.past).toMatchObject([{ id: 'old', clinicalStatus: 'resolved' }]);
  });
  it('puts anaphylaxis and high criticality first', () => {
    const low = latex({ id: 'low', criticality: 'low' });
    const views = allergyViews([cachedAt(low), cachedAt(peanutAllergy)], ctx);
    expect(views.current.map((a) => a.id)).toEqual(['fx-allergy-peanut', 'low']);
  });
});
