import { describe, expect, it } from 'vitest';
import { type UpdateStatus } from '../../contract';
import { shouldOfferRestart } from './updateNotice';

const ready: UpdateStatus = { state: 'ready', version: '0.2.0', percent: 100, message: 'OnScene 0.2.0 is ready.' };

describe('"Restart to update" is offered only when nothing is open', () => {
  it('offers it on the sign-in screen and the incident list', () => {
    expect(shouldOfferRestart(ready, 'signIn', false, null)).toBe(true);
    expect(shouldOfferRestart(ready, 'incidents', false, null)).toBe(true);
  });
  it.each(['record', 'triage', 'call', 'search', 'find', 'signOutWarning', 'syncDetail', 'conflicts', 'somethingNew', ''])('never on the %s screen, which may hold a record or triage', (screen) => {
    expect(shouldOfferRestart(ready, screen, false, null)).toBe(false);
  });
  it('never while locked, before an update is ready, or after "Not now" for that version', () => {
    expect(shouldOfferRestart(ready, 'incidents', true, null)).toBe(false);
    for (const state of ['off', 'idle', 'checking', 'downloading', 'failed'] as const) {
      expect(shouldOfferRestart({ ...ready, state }, 'incidents', false, null)).toBe(false);
    }
    expect(shouldOfferRestart(null, 'incidents', false, null)).toBe(false);
    expect(shouldOfferRestart(ready, 'incidents', false, '0.2.0')).toBe(false);
    expect(shouldOfferRestart({ ...ready, version: '0.3.0' }, 'incidents', false, '0.2.0')).toBe(true);
  });
});
