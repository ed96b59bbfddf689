import { describe, expect, it } from 'vitest';
import type { ScopeRepo } from '../db/scopeRepo';
import { createScopeBook } from './scopeBook';

const repo: ScopeRepo = { all: async () => [], get: async () => null, putAll: async () => {}, removeAll: async () => {} };

describe('scope book', () => {
  it('an exit repeated every run keeps the first end of the grace period; a re-join makes the hold open-ended again', () => {
    let now = '2026-11-24T10:00:00.000Z';
    const book = createScopeBook([], repo, () => now);
    book.join('p1', 'incident', { ref: 't1', pending: [] });
    book.exit('p1', 'incident', '2026-11-24T12:00:00.000Z');
    now = '2026-11-24T10:30:00.000Z';
    book.exit('p1', 'incident', '2026-11-24T12:30:00.000Z');
    expect(book.get('p1')?.holds[0]?.untilAt).toBe('2026-11-24T12:00:00.000Z');
    book.join('p1', 'incident', { ref: 't2', pending: [] });
    expect(book.get('p1')?.holds[0]).toMatchObject({ untilAt: '', ref: 't2' });
  });

  it('confirms a type only for members of the scope not waiting for a catch-up of that type', () => {
    const book = createScopeBook([], repo, () => '2026-11-24T10:00:00.000Z');
    book.join('done', 'incident', { ref: 't1', pending: [] });
    book.join('waiting', 'incident', { ref: 't2', pending: ['Consent', 'Flag'] });
    book.join('elsewhere', 'area', { ref: 'E8', pending: [] });
    book.confirm('incident', 'Consent', '2026-11-24T09:59:58.000Z');
    book.confirm('incident', 'MedicationRequest', '2026-11-24T09:59:59.000Z');
    expect(book.get('done')).toMatchObject({
      consentConfirmedAt: '2026-11-24T09:59:58.000Z',
      confirmedAtByType: { Consent: '2026-11-24T09:59:58.000Z', MedicationRequest: '2026-11-24T09:59:59.000Z' },
    });
    // Waiting for its Consents, but nothing stands between it and its prescriptions.
    expect(book.get('waiting')).toMatchObject({ consentConfirmedAt: '', confirmedAtByType: { MedicationRequest: '2026-11-24T09:59:59.000Z' } });
    expect(book.get('elsewhere')?.confirmedAtByType).toEqual({});
    book.confirm('incident', 'Consent', '2026-11-24T09:00:00.000Z'); // an older confirmation never replaces a newer one
    expect(book.get('done')?.confirmedAtByType.Consent).toBe('2026-11-24T09:59:58.000Z');
  });

  it('a re-fetch makes the types pending and unconfirmed again; a purge forgets the record facts', () => {
    const book = createScopeBook([], repo, () => '2026-11-24T10:00:00.000Z');
    book.join('p1', 'incident', { ref: 't1', pending: [] });
    book.join('p1', 'search', { ref: 'search', pending: [], untilAt: '2026-11-24T22:00:00.000Z' });
    book.confirm('incident', 'Consent', '2026-11-24T09:59:58.000Z');
    book.confirm('incident', 'Flag', '2026-11-24T09:59:58.000Z');
    book.requireRefetch('p1', ['Flag']);
    expect(book.get('p1')?.holds.map((h) => h.pending)).toEqual([['Flag'], ['Flag']]);
    expect(book.get('p1')?.confirmedAtByType).toEqual({ Consent: '2026-11-24T09:59:58.000Z' });
    book.confirm('incident', 'Flag', '2026-11-24T10:00:00.000Z'); // still pending: not stamped
    expect(book.get('p1')?.confirmedAtByType.Flag).toBeUndefined();
    book.withhold('p1', 'Condition/c1', 'restricted');
    book.addObjection('p1', 'consent-x', '');
    book.clearRecordFacts('p1');
    expect(book.get('p1')).toMatchObject({ consentConfirmedAt: '', confirmedAtByType: {}, withheldRestricted: [], withheldObjection: [], objections: [] });
  });

  it('counts a withheld resource under one reason at a time, and forgets it once released', () => {
    const book = createScopeBook([], repo, () => '2026-11-24T10:00:00.000Z');
    book.join('p1', 'incident', { ref: 't1', pending: [] });
    expect(book.addObjection('p1', 'consent-a', '')).toBe(true);
    expect(book.addObjection('p1', 'consent-b', '2027-01-01T00:00:00.000Z')).toBe(false); // already objecting
    book.withhold('p1', 'Flag/f1', 'sharing-objection');
    book.withhold('p1', 'Flag/f1', 'restricted');
    book.withhold('p1', 'Condition/c1', 'sharing-objection');
    expect(book.get('p1')).toMatchObject({ withheldRestricted: ['Flag/f1'], withheldObjection: ['Condition/c1'] });
    expect(book.removeObjection('p1', 'consent-a')).toBe(false);
    expect(book.endedObjections(Date.parse('2027-01-02T00:00:00Z'))).toEqual([['p1', ['consent-b']]]);
    expect(book.removeObjection('p1', 'consent-b')).toBe(true); // the last one: what it withheld is no longer counted
    expect(book.get('p1')).toMatchObject({ withheldRestricted: ['Flag/f1'], withheldObjection: [], objections: [] });
    book.releaseEverywhere('Flag/f1');
    expect(book.get('p1')?.withheldRestricted).toEqual([]);
  });
});
