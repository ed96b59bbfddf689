import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ResuscitationView } from '../../contract';
import { RecordClockProvider } from './RecordClock';
import { ResuscitationPanel } from './ResuscitationPanel';

const now = Date.parse('2026-11-24T10:00:00Z');
const HOUR = 3_600_000;
const recordSyncedAt = '2026-11-24T09:58:00Z';
const view = (over: Partial<ResuscitationView>): ResuscitationView => ({
  status: 'none-recorded', headline: '', decidedAt: null, decidedBy: null, note: null, confirmedAt: null, isPossiblyStale: false,
  organisation: null, decisionForm: null, details: [], treatments: [], people: [], form: null, related: [], uncheckedSources: [], ...over,
});
const markup = (v: ResuscitationView, at = now, connection = { isOffline: false, lastContactAt: null as string | null }) =>
  renderToStaticMarkup(createElement(RecordClockProvider, { clock: { now: at, staleAfterMs: 12 * HOUR, connection }, children: createElement(ResuscitationPanel, { resuscitation: v, recordSyncedAt }) }));
const text = (v: ResuscitationView, at = now, connection?: { isOffline: boolean; lastContactAt: string | null }) => markup(v, at, connection).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const dnacpr = view({ status: 'dnacpr', headline: 'DNACPR: do not attempt CPR', decidedBy: 'Dr Okafor', decidedAt: '2026-03-04', confirmedAt: '2026-11-24T02:00:00Z', decisionForm: 'dnacpr' });

describe('ResuscitationPanel', () => {
  it('never shows "not yet confirmed" as confirmed, nor borrows the record’s sync time for it', () => {
    const t = text(view({ status: 'not-yet-confirmed', isPossiblyStale: true }));
    expect(t).toContain('Resuscitation decision not yet confirmed — check other sources');
    expect(t).not.toContain('No resuscitation decision recorded');
    expect(t).toContain('Not yet confirmed by the central record');
    expect(t).not.toContain('2 minutes ago');
  });
  it('says a record could not be read, and why, without the colours of a decision', () => {
    const unreadable = markup(view({ status: 'unreadable', headline: 'Restricted information may include a resuscitation decision — check other sources' }));
    expect(unreadable).toContain('A resuscitation record could not be read — check other sources');
    expect(unreadable).toContain('Restricted information may include a resuscitation decision — check other sources.');
    expect(unreadable).toContain('app-resus--none');
    expect(text(view({ status: 'conflicting', isPossiblyStale: true }))).toContain('check the paper form');
  });
  it('dates "none recorded" by its own confirmation, and says which sources were not downloaded', () => {
    const t = text(view({ status: 'none-recorded', confirmedAt: '2026-11-24T09:30:00Z', uncheckedSources: ['forms', 'documents'] }));
    expect(t).toContain('30 minutes ago');
    expect(t).toContain('Not yet downloaded to this device: forms, documents. A plan recorded there would not show here yet.');
  });
  it('turns "may have changed" on by itself as the clock passes the threshold, with the reason', () => {
    const connection = { isOffline: true, lastContactAt: '2026-11-24T02:10:00Z' };
    expect(text(dnacpr, Date.parse('2026-11-24T13:59:00Z'), connection)).not.toContain('May have changed');
    const later = text(dnacpr, Date.parse('2026-11-24T16:10:00Z'), connection);
    expect(later).toContain('May have changed — not confirmed for 14 hours: no signal since');
    expect(later).toContain('DNACPR — do not attempt CPR');
  });
  it('never says "none recorded" beside an end-of-life plan recorded as a form', () => {
    const t = text(view({
      status: 'none-recorded', confirmedAt: '2026-11-24T09:30:00Z',
      related: [{ kind: 'form', text: 'EOL plan (recorded as a form)', where: 'Forms', summary: ['Advance Decision to Refuse Treatment: Yes'] }],
    }));
    expect(t).not.toContain('No resuscitation decision recorded');
    expect(t).toContain('No DNACPR or ReSPECT decision found — but an end-of-life plan or advance decision is recorded');
    expect(t).toContain('An end-of-life plan or advance decision recorded as a form: EOL plan (recorded as a form) — see Forms below');
    expect(t).toContain('Advance Decision to Refuse Treatment: Yes');
  });
  it('shows the ReSPECT content the record holds', () => {
    const t = text(view({
      status: 'respect-not-for-cpr', decisionForm: 'respect', confirmedAt: '2026-11-24T09:00:00Z', organisation: 'Sample Street Surgery',
      treatments: [{ isRecommended: false, text: 'Intubation' }], details: [{ label: 'Clinical recommendation', value: 'Comfort first' }],
      people: [{ name: 'Tom Carver (son)', role: 'Discussed with' }], form: 'ReSPECT form', note: 'Comfort care',
    }));
    for (const part of ['ReSPECT — CPR attempts NOT recommended', 'Organisation Sample Street Surgery', 'Not recommended Intubation', 'Clinical recommendation Comfort first', 'Discussed with Tom Carver (son)', 'Form ReSPECT form (not stored on this device)', 'Note Comfort care']) {
      expect(t).toContain(part);
    }
  });
  it('does not call a for-CPR decision off a ReSPECT form a ReSPECT decision', () => {
    expect(text(view({ status: 'respect-for-cpr', decisionForm: 'other', confirmedAt: '2026-11-24T09:00:00Z' }))).toContain('For CPR — attempt resuscitation');
    expect(text(view({ status: 'respect-for-cpr', decisionForm: 'respect', confirmedAt: '2026-11-24T09:00:00Z' }))).toContain('ReSPECT — CPR attempts recommended');
  });
});
