import { describe, expect, it } from 'vitest';
import { RECENT_HISTORY, encounterViews, immunizationViews, procedureViews } from './history';
import { cachedAt, encounter, fixtureContext, immunization, procedure } from './recordFixtures';

const ctx = fixtureContext();

describe('history', () => {
  it('shows recent encounters newest first with the organisation, the rest as earlier, and leaves out cancelled ones', () => {
    const list = ['2026-01-01', '2026-03-01', '2025-01-01', '2026-02-01', '2024-01-01', '2026-04-01', '2023-01-01'].map((d, i) => cachedAt(encounter(`e${i}`, d)));
    list.push(cachedAt(encounter('cancelled', '2026-11-01', 'cancelled')), cachedAt(encounter('error', '2026-11-02', 'entered-in-error')));
    const { recent, earlier } = encounterViews(list, ctx);
    expect(recent.map((e) => e.at)).toEqual(['2026-04-01', '2026-03-01', '2026-02-01', '2026-01-01', '2025-01-01']);
    expect(recent).toHaveLength(RECENT_HISTORY);
    expect(earlier.map((e) => e.at)).toEqual(['2024-01-01', '2023-01-01']);
    expect(recent[0]).toMatchObject({
      text: 'Emergency department attendance', detail: 'Emergency · Reason: Fall at home', organisation: 'Sample Royal Hospital', status: null,
      source: { organisation: 'Sample Royal Hospital', at: '2026-04-01' },
    });
    expect(encounterViews([cachedAt(encounter('now', '2026-11-24T09:00:00Z', 'in-progress'))], ctx).recent[0]?.status).toBe('in-progress');
  });
  it('shows a procedure with its date, performer and organisation', () => {
    expect(procedureViews([cachedAt(procedure)], ctx).recent[0]).toMatchObject({
      text: 'Appendectomy', at: '2013-04-05T10:30:10+01:00', organisation: 'Sample Royal Hospital', status: null,
      source: { by: 'Mr Alan Reed', organisation: 'Sample Royal Hospital' },
    });
  });
  it('shows an immunisation with its date and dose, and marks one not done', () => {
    expect(immunizationViews([cachedAt(immunization)], ctx).recent[0]).toMatchObject({ text: 'Influenza, seasonal, injectable, preservative free', at: '2026-10-10T10:00:00+01:00', detail: 'Dose 1' });
    const notDone = { ...immunization, id: 'nd', status: 'not-done' as const, statusReason: { text: 'Patient declined' } };
    expect(immunizationViews([cachedAt(notDone)], ctx).recent[0]).toMatchObject({ status: 'not-done', detail: 'Dose 1 · Patient declined' });
  });
});
