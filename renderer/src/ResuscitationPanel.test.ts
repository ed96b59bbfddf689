import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ResuscitationView } from '../../contract';
import { ResuscitationPanel } from './ResuscitationPanel';

const now = Date.parse('2026-11-24T10:00:00Z');
const recordSyncedAt = '2026-11-24T09:58:00Z';
const view = (over: Partial<ResuscitationView>): ResuscitationView => ({
  status: 'none-recorded', headline: '', decidedAt: null, decidedBy: null, note: null, syncedAt: null, isPossiblyStale: false, ...over,
});
const text = (v: ResuscitationView) => renderToStaticMarkup(createElement(ResuscitationPanel, { resuscitation: v, recordSyncedAt, now })).replace(/<[^>]+>/g, ' ');

describe('ResuscitationPanel', () => {
  it('never shows "not yet confirmed" as confirmed, nor borrows the record’s sync time for it', () => {
    const t = text(view({ status: 'not-yet-confirmed', isPossiblyStale: true }));
    expect(t).toContain('Resuscitation decision not yet confirmed — check other sources');
    expect(t).not.toContain('No resuscitation decision recorded');
    expect(t).toContain('not confirmed by the central record');
    expect(t).toContain('Not yet synced from the central record');
    expect(t).not.toContain('2 minutes ago');
  });
  it('says a record could not be read, and that decisions conflict, without the colours of a decision', () => {
    const unreadable = renderToStaticMarkup(createElement(ResuscitationPanel, { resuscitation: view({ status: 'unreadable', isPossiblyStale: true }), recordSyncedAt, now }));
    expect(unreadable).toContain('A resuscitation record could not be read — check other sources');
    expect(unreadable).toContain('app-resus--none');
    expect(text(view({ status: 'conflicting', isPossiblyStale: true }))).toContain('check the paper form');
  });
  it('dates "none recorded" by its own confirmation', () => {
    expect(text(view({ status: 'none-recorded', syncedAt: '2026-11-24T09:30:00Z' }))).toContain('30 minutes ago');
  });
});
