import { describe, expect, it } from 'vitest';
import { WITHHELD_CONTACT, sectionCoverage, withheldView } from './coverage';

const facts = (confirmedAtByType: Record<string, string>, extra: Partial<Parameters<typeof sectionCoverage>[1]> = {}) => ({ confirmedAtByType, unreadableTypes: [], withheld: null, ...extra });

describe('coverage', () => {
  it('can say "none" only of a section whose every type was confirmed', () => {
    expect(sectionCoverage('allergies', facts({ AllergyIntolerance: '2026-11-24T09:00:00Z' }))).toEqual({
      state: 'confirmed', confirmedAt: '2026-11-24T09:00:00Z', notDownloaded: [], hasUnreadable: false, isWithheld: false,
    });
    expect(sectionCoverage('medications', facts({ MedicationStatement: '2026-11-24T09:00:00Z' }))).toMatchObject({ state: 'partly-downloaded', notDownloaded: ['prescriptions'] });
    expect(sectionCoverage('medications', facts({}))).toMatchObject({ state: 'not-downloaded', confirmedAt: null, notDownloaded: ['prescriptions', 'medication records'] });
  });
  it('dates a section by its oldest confirmation', () => {
    expect(sectionCoverage('contacts', facts({ RelatedPerson: '2026-11-24T09:00:00Z', CareTeam: '2026-11-23T09:00:00+01:00' })).confirmedAt).toBe('2026-11-23T09:00:00+01:00');
  });
  it('marks sections with unreadable or withheld types', () => {
    expect(sectionCoverage('alerts', facts({}, { unreadableTypes: ['Flag'] })).hasUnreadable).toBe(true);
    expect(sectionCoverage('alerts', facts({}, { withheld: { reason: 'restricted', count: 1, types: ['Flag'] } })).isWithheld).toBe(true);
    expect(sectionCoverage('forms', facts({}, { withheld: { reason: 'sharing-objection', count: 1, types: [] } })).isWithheld).toBe(true);
    expect(sectionCoverage('forms', facts({}, { withheld: { reason: 'restricted', count: 1, types: ['Flag'] } })).isWithheld).toBe(false);
  });
  it('says restricted information exists and who to contact', () => {
    expect(withheldView(facts({}, { withheld: { reason: 'restricted', count: 3, types: ['Condition', 'DocumentReference', 'Condition'] } }))).toEqual({
      reason: 'restricted', count: 3, types: ['conditions', 'documents'], contact: WITHHELD_CONTACT,
    });
    expect(withheldView(facts({}))).toBeNull();
    expect(withheldView(facts({}, { withheld: { reason: 'restricted', count: 0, types: [] } }))).toBeNull();
  });
});
