import { describe, expect, it } from 'vitest';
import { failureWhatToDo, purgeWhyText, recordKindText, refusalText, removedRecordText, scopeStateText, unreadableText, uploadWhyText } from './syncDetailText';
import { purgedItemViewSchema, syncFailureReasonSchema } from './views';

describe('sync detail text (issue #14)', () => {
  it('gives every failure reason something to do', () => {
    for (const reason of syncFailureReasonSchema.options) expect(failureWhatToDo(reason).length).toBeGreaterThan(20);
    expect(failureWhatToDo('auth')).toMatch(/Sign in online again/);
  });

  it('says why each purge happened, by reason and scope', () => {
    expect(purgeWhyText({ reason: 'expired', scopes: ['search'] })).toMatch(/12 hours/);
    expect(purgeWhyText({ reason: 'left-scope', scopes: ['incident'] })).toMatch(/incident was closed or given to another vehicle/);
    expect(purgeWhyText({ reason: 'left-scope', scopes: ['area'] })).toMatch(/left this area’s caseload/);
    expect(purgeWhyText({ reason: 'restricted', scopes: [] })).toMatch(/restricted/);
    expect(purgeWhyText({ reason: 'deleted-on-server', scopes: [] })).toMatch(/deleted on the central record/);
    expect(purgeWhyText({ reason: 'sharing-objection', scopes: [] })).toMatch(/objected to sharing/);
    for (const reason of purgedItemViewSchema.shape.reason.options) expect(purgeWhyText({ reason, scopes: [] })).not.toBe('');
  });

  it('tells an open record it was removed, when and why, and that the crew’s work is kept', () => {
    const text = removedRecordText({ reason: 'expired', scopes: ['search'], at: '2026-12-03T14:02:00Z' }, () => '14:02');
    expect(text).toBe('This record was removed from this device at 14:02. Opened by search: the 12 hours a searched patient is kept on this device ended. Work you recorded for this patient is kept and still uploads.');
  });

  it('names kinds of record in plain words and reads an unknown type as itself', () => {
    expect(recordKindText('Encounter')).toBe('Patient contact (encounter)');
    expect(recordKindText('Basic')).toBe('Basic');
  });

  it('explains why an upload waits, and a refusal by its status only', () => {
    expect(uploadWhyText('offline')).toMatch(/No signal/);
    expect(uploadWhyText('refused', refusalText('HTTP 422'))).toBe('The central record refused it (HTTP 422: it did not accept the content). It is kept on this device; tell the service desk.');
  });

  it('names the fields of an unreadable item, never values', () => {
    expect(unreadableText('AllergyIntolerance', 'code.coding.0 invalid_type; patient invalid_type; (resource) custom')).toBe(
      'Allergy from the central record could not be read (in code.coding.0, patient). It is not shown; the record says so where it matters.',
    );
  });

  it('never calls a scope complete before every tier is', () => {
    const scope = { scope: 'incident' as const, patients: 3, lastCompleteAt: null, tiers: [{ tier: 'safety' as const, done: 6, total: 6, isComplete: true }, { tier: 'clinical' as const, done: 1, total: 4, isComplete: false }] };
    expect(scopeStateText(scope, true)).toBe('Fetching now (medicines and problems: 1 of 4 kinds of record)');
    expect(scopeStateText(scope, false)).toMatch(/^Stopped part way/);
    expect(scopeStateText({ ...scope, tiers: [scope.tiers[0]!] }, false)).toBe('Complete');
    expect(scopeStateText({ ...scope, tiers: [] }, false)).not.toBe('Complete');
  });
});
