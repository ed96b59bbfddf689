import { describe, expect, it } from 'vitest';
import { carePlanKind, carePlanViews } from './carePlans';
import { cachedAt, endedPlan, fixtureContext, narrativeOnlyPlan } from './recordFixtures';

const ctx = fixtureContext();

describe('carePlanViews', () => {
  it('shows a narrative-only plan as plain text, never HTML, and never as an empty card', () => {
    const [view] = carePlanViews([cachedAt(narrativeOnlyPlan)], ctx).current;
    expect(view).toMatchObject({
      title: 'Care plan', description: '', activities: [], author: 'Sample Hospice',
      narrative: 'Keep at home if possible.\nCall the hospice\'s 24-hour line\nOxygen & nebuliser are in the bedroom',
      source: { by: null, organisation: 'Sample Hospice' },
    });
    expect(view?.narrative).not.toMatch(/[<>]|alert/);
  });
  it('counts ended plans as past: period ended, completed, revoked; entered-in-error never shown', () => {
    const plans = [
      endedPlan('a', '2026-01-01'), endedPlan('b', '2025-01-01'), { ...endedPlan('c', '2027-01-01'), status: 'completed' as const },
      { ...endedPlan('d', '2027-06-01') }, { ...endedPlan('e', '2027-06-01'), status: 'entered-in-error' as const },
    ].map((p) => cachedAt(p));
    const { current, past } = carePlanViews(plans, ctx);
    expect(current.map((p) => p.id)).toEqual(['d']);
    expect(past.map((p) => [p.id, p.status, p.end])).toEqual([['a', 'active', '2026-01-01'], ['b', 'active', '2025-01-01'], ['c', 'completed', '2027-01-01']]);
  });
  it('reads activities by description, code or reference, and marks what not to do', () => {
    const [view] = carePlanViews([cachedAt({
      ...endedPlan('x', '2027-01-01'),
      activity: [
        { detail: { status: 'in-progress', description: 'Give oxygen if SpO2 below 94%' } },
        { detail: { status: 'not-started', code: { text: 'Refer to hospice' } } },
        { reference: { reference: 'ServiceRequest/1', display: 'District nurse visits' } },
        { detail: { status: 'in-progress', doNotPerform: true, description: 'Convey to hospital' } },
        { detail: { status: 'cancelled', description: 'Old instruction' } },
      ],
    })], ctx).current;
    expect(view?.activities).toEqual(['Give oxygen if SpO2 below 94%', 'Refer to hospice', 'District nurse visits', 'Do not: Convey to hospital']);
    expect(view?.narrative).toBeNull();
  });
  it('knows an end-of-life plan by our code or by its words', () => {
    expect(carePlanKind({ ...endedPlan('k', '2027-01-01'), title: 'Palliative care plan' })).toBe('end-of-life');
    expect(carePlanKind({ ...endedPlan('k', '2027-01-01'), category: [{ text: 'Sickle cell individual care plan' }] })).toBe('sickle-cell');
    expect(carePlanKind({ ...endedPlan('k', '2027-01-01'), title: 'Falls plan' })).toBeNull();
  });
});
