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

  it('confirms Consent only for members of the scope not waiting for a Consent catch-up', () => {
    const book = createScopeBook([], repo, () => '2026-11-24T10:00:00.000Z');
    book.join('done', 'incident', { ref: 't1', pending: [] });
    book.join('waiting', 'incident', { ref: 't2', pending: ['Consent', 'Flag'] });
    book.join('elsewhere', 'area', { ref: 'E8', pending: [] });
    book.confirmConsent('incident', '2026-11-24T09:59:58.000Z');
    expect(book.get('done')?.consentConfirmedAt).toBe('2026-11-24T09:59:58.000Z');
    expect(book.get('waiting')?.consentConfirmedAt).toBe('');
    expect(book.get('elsewhere')?.consentConfirmedAt).toBe('');
    book.confirmConsent('incident', '2026-11-24T09:00:00.000Z'); // an older confirmation never replaces a newer one
    expect(book.get('done')?.consentConfirmedAt).toBe('2026-11-24T09:59:58.000Z');
  });
});
