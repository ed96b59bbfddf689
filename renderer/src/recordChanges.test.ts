import { describe, expect, it } from 'vitest';
import { recordChanges } from './recordChanges';

const allergy = (id: string, substance: string, extra: Record<string, unknown> = {}) => ({ id, substance, reaction: null, syncedAt: '2026-12-03T10:00:00Z', ...extra });
const base = { resuscitation: { headline: 'DNACPR: do not attempt CPR' }, allergies: [allergy('a1', 'Penicillin')], alerts: [], patient: { name: 'X' } };

describe('recordChanges', () => {
  it('names what was added, changed and removed, section by section', () => {
    const after = { ...base, allergies: [allergy('a1', 'Penicillin', { reaction: 'Anaphylaxis' }), allergy('a2', 'Latex')], alerts: [{ id: 'f1', text: 'Lives alone' }] };
    expect(recordChanges(base, after)).toEqual(['Allergy changed: Penicillin', 'Allergy added: Latex', 'Alert added: Lives alone']);
    expect(recordChanges(after, base)).toEqual(['Allergy changed: Penicillin', 'Allergy removed: Latex', 'Alert removed: Lives alone']);
  });
  it('a re-confirmation is not a change; a new resuscitation decision is', () => {
    expect(recordChanges(base, { ...base, allergies: [allergy('a1', 'Penicillin', { syncedAt: '2026-12-03T11:00:00Z' })] })).toEqual([]);
    expect(recordChanges(base, { ...base, resuscitation: { headline: 'ReSPECT: for CPR' } })).toEqual(['Resuscitation decision changed: ReSPECT: for CPR']);
  });
  it('a crew’s own addition to a care plan, and its upload, are not news; another crew’s is', () => {
    const plan = (contributions: unknown[], extra: Record<string, unknown> = {}) => ({ ...base, carePlans: [{ id: 'cp1', title: 'End of life care plan', notes: [], contributions, ...extra }] });
    const ours = { id: 'c1', text: 'Plan followed', isWaitingToUpload: true };
    expect(recordChanges(plan([]), plan([ours]))).toEqual([]);
    expect(recordChanges(plan([ours]), plan([{ ...ours, isWaitingToUpload: false }]))).toEqual([]);
    expect(recordChanges(plan([]), plan([], { notes: ['Key safe'], isWaitingToUpload: true }))).toEqual([]);
    expect(recordChanges(plan([]), plan([{ id: 'c2', text: 'From the other vehicle', isWaitingToUpload: false }]))).toEqual(['Care plan changed: End of life care plan']);
  });
});
