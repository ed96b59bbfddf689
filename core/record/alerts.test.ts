import type { Flag } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { alertViews } from './alerts';
import { cachedAt, dietFlag, endedInfectionFlag, fixtureContext } from './recordFixtures';

const ctx = fixtureContext();

describe('alertViews', () => {
  it('reads the UK Core diet flag with its category, author and start', () => {
    const { current } = alertViews([cachedAt(dietFlag)], ctx);
    expect(current).toEqual([{
      id: 'fx-flag-diet',
      confirmedAt: '2026-11-24T09:00:00Z',
      source: { by: 'Dr Paul Rastall', organisation: null, at: null, system: null },
      category: 'Diet',
      categories: ['Diet'],
      text: 'Patient has a severe peanut allergy.',
      isSafetyWarning: false,
      since: '2019-12-10T13:00:00+00:00',
      until: null,
      status: 'active',
    }]);
  });
  it('treats a flag whose period has ended as past, and shows categories from other systems by their text', () => {
    const { current, past } = alertViews([cachedAt(endedInfectionFlag), cachedAt({ ...endedInfectionFlag, id: 'now', period: { start: '2025-01-01' } })], ctx);
    expect(current.map((a) => [a.id, a.category])).toEqual([['now', 'Infection control']]);
    expect(past.map((a) => a.id)).toEqual(['fx-flag-mrsa']);
  });
  it('puts safety and behaviour warnings first, drops entered-in-error, keeps inactive as past', () => {
    const flag = (id: string, code: string, status: Flag['status'] = 'active'): Flag => ({
      resourceType: 'Flag', id, status, subject: { reference: 'Patient/p' }, code: { text: id },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code }] }],
    });
    const { current, past } = alertViews(
      [flag('clin', 'clinical'), flag('beh', 'behavioral'), flag('adv', 'advance-directive'), flag('err', 'safety', 'entered-in-error'), flag('old', 'safety', 'inactive')].map((f) => cachedAt(f)),
      ctx,
    );
    expect(current.map((a) => [a.id, a.category, a.isSafetyWarning])).toEqual([['beh', 'Behaviour', true], ['clin', 'Clinical', false], ['adv', 'Advance directive', false]]);
    expect(past.map((a) => a.id)).toEqual(['old']);
  });
  it('falls back to the narrative when a flag has no code text', () => {
    const { current } = alertViews([cachedAt({ ...dietFlag, code: {} })], ctx);
    expect(current[0]?.text).toBe('Food Allergy Warning');
  });
});
