import { describe, expect, it } from 'vitest';
import { contactViews } from './contacts';
import { cachedAt, careTeam, daughter, fixtureContext, ukCorePatient } from './recordFixtures';

describe('contactViews', () => {
  it('lists the patient’s contacts, related people and care team members with relationship and phone', () => {
    const views = contactViews(cachedAt(ukCorePatient), [cachedAt(daughter), cachedAt({ ...daughter, id: 'gone', active: false })], [cachedAt(careTeam)], fixtureContext());
    expect(views.map(({ kind, name, relationship, phones, organisation, team }) => ({ kind, name, relationship, phones, organisation, team }))).toEqual([
      { kind: 'patient-contact', name: 'Tom CARVER', relationship: 'Next of kin', phones: [{ value: '07700 900123', use: 'mobile' }], organisation: null, team: null },
      { kind: 'related-person', name: 'Anne CARVER', relationship: 'Daughter', phones: [{ value: '07700 900456', use: 'mobile' }, { value: '020 7946 0000', use: 'home' }], organisation: null, team: null },
      { kind: 'care-team', name: 'Dorothy DIETITIAN', relationship: 'Dietitian', phones: [{ value: '0113 496 0000', use: 'work' }], organisation: 'Sample Community Trust', team: 'Community palliative care team' },
    ]);
  });
  it('uses the team’s phone for a member without one, and leaves out an inactive team', () => {
    const team = { ...careTeam, participant: [{ member: { display: 'Nurse Jo' }, role: [{ text: 'Key worker' }] }] };
    expect(contactViews(cachedAt({ ...ukCorePatient, contact: [] }), [], [cachedAt(team)], fixtureContext())[0]?.phones).toEqual([{ value: '0300 555 0100', use: null }]);
    expect(contactViews(cachedAt({ ...ukCorePatient, contact: [] }), [], [cachedAt({ ...team, status: 'inactive' as const })], fixtureContext())).toEqual([]);
  });
});
