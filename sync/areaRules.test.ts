import { describe, expect, it } from 'vitest';
import { districtOf, isAreaMember, postcodeDistrict, readAreaConfig, withPlan } from './areaRules';

describe('area membership', () => {
  it('reads the postcode district however the postcode is written', () => {
    expect(postcodeDistrict('SW11 5XU')).toBe('SW11');
    expect(postcodeDistrict('e8 1ab')).toBe('E8');
    expect(postcodeDistrict('EC1A1BB')).toBe('EC1A');
    expect(postcodeDistrict('not a postcode')).toBe('');
    expect(districtOf({ address: [{ use: 'work', postalCode: 'N1 9GU' }, { use: 'home', postalCode: 'E8 1AB' }] })).toBe('E8');
  });

  it('tracks active plans and needs both the district and, for the caseload, an active plan', () => {
    const plans = withPlan(withPlan([], { id: 'p1', status: 'active' }), { id: 'p2', status: 'active' });
    expect(plans).toEqual(['p1', 'p2']);
    expect(withPlan(plans, { id: 'p1', status: 'completed' })).toEqual(['p2']);
    const caseload = { districts: ['E8'], requireActiveCarePlan: true };
    expect(isAreaMember({ district: 'E8', activePlanIds: ['p2'] }, caseload)).toBe(true);
    expect(isAreaMember({ district: 'E8', activePlanIds: [] }, caseload)).toBe(false);
    expect(isAreaMember({ district: 'E9', activePlanIds: ['p2'] }, caseload)).toBe(false);
    expect(isAreaMember({ district: 'E8', activePlanIds: [] }, { ...caseload, requireActiveCarePlan: false })).toBe(true);
  });

  it('reads the area from configuration, ignoring what is not a district', () => {
    expect(readAreaConfig({})).toBeNull();
    expect(readAreaConfig({ ONSCENE_AREA_DISTRICTS: 'e8, N1,,nonsense,E8' })).toEqual({ districts: ['E8', 'N1'], requireActiveCarePlan: true });
    expect(readAreaConfig({ ONSCENE_AREA_DISTRICTS: 'SW11', ONSCENE_AREA_ALL_RESIDENTS: '1' })?.requireActiveCarePlan).toBe(false);
  });
});
