import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson';
import { combineVersions, fieldDifferences, listItemSides, mergeList } from './conflictMerge';

const note = (text: string, author = 'Crew A') => ({ text, authorString: author, time: '2026-12-03T10:00:00Z' });
const plan = (extra: Record<string, unknown>): Record<string, unknown> => ({
  resourceType: 'CarePlan', id: 'cp-1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' }, ...extra,
});

describe('fieldDifferences', () => {
  it('names each differing field once with both values and who changed it; ignores meta, id and narrative', () => {
    const base = plan({ title: 'End of life care', note: [note('Key safe 1234')] });
    const local = plan({ title: 'End of life care', note: [note('Key safe 1234'), note('Dog in the house')], meta: { versionId: '3' }, text: { div: 'x' } });
    const server = plan({ title: 'End of life care (updated)', note: [note('Key safe 1234')], meta: { versionId: '4' } });
    expect(fieldDifferences(local, server, base)).toEqual([
      { field: 'note', kind: 'list', changedBy: 'device', local: local.note, server: server.note },
      { field: 'title', kind: 'value', changedBy: 'central', local: 'End of life care', server: 'End of life care (updated)' },
    ]);
  });

  it('says nobody knows who changed what when the base version is unknown, and sees a field only one side has', () => {
    const diffs = fieldDifferences(plan({ description: 'Mine' }), plan({}), null);
    expect(diffs).toEqual([{ field: 'description', kind: 'value', changedBy: null, local: 'Mine', server: undefined }]);
  });

  it('marks a field both sides changed as changed by both', () => {
    const diffs = fieldDifferences(plan({ status: 'on-hold' }), plan({ status: 'revoked' }), plan({ status: 'active' }));
    expect(diffs).toEqual([expect.objectContaining({ field: 'status', changedBy: 'both', kind: 'value' })]);
  });
});

describe('listItemSides', () => {
  it('lists every item once: shared, central only, then the device only', () => {
    expect(listItemSides([note('a'), note('c')], [note('a'), note('b')])).toEqual([
      [note('a'), 'both'], [note('b'), 'central'], [note('c'), 'device'],
    ]);
  });
});

describe('combineVersions', () => {
  it('keeps both crews’ notes and the central record’s other change', () => {
    const base = plan({ title: 'Plan', note: [note('first')] });
    const local = plan({ title: 'Plan', note: [note('first'), note('ours', 'Crew B')] });
    const server = plan({ title: 'Plan v2', note: [note('first'), note('theirs', 'Crew A')], meta: { versionId: '5' } });
    const result = combineVersions(local, server, base);
    expect(result).toEqual({ isPossible: true, resource: { ...server, note: [note('first'), note('theirs', 'Crew A'), note('ours', 'Crew B')] } });
  });

  it('takes a value the device alone changed, and drops an item the device alone removed', () => {
    const base = plan({ description: 'old', note: [note('stale'), note('kept')] });
    const local = plan({ description: 'new', note: [note('kept')] });
    const server = plan({ description: 'old', note: [note('stale'), note('kept'), note('theirs')] });
    const result = combineVersions(local, server, base);
    expect(result).toEqual({ isPossible: true, resource: plan({ description: 'new', note: [note('kept'), note('theirs')] }) });
  });

  it('refuses to combine a value both sides changed, naming it', () => {
    const result = combineVersions(plan({ status: 'on-hold' }), plan({ status: 'revoked' }), plan({ status: 'active' }));
    expect(result).toEqual({ isPossible: false, reason: 'Both versions changed status: choose which version to keep.', fields: ['status'] });
  });

  it('without the base version, unions lists but will not guess a value', () => {
    expect(combineVersions(plan({ note: [note('a')] }), plan({ note: [note('b')] }), null)).toEqual({ isPossible: true, resource: plan({ note: [note('b'), note('a')] }) });
    const refused = combineVersions(plan({ description: 'x' }), plan({ description: 'y' }), null);
    expect(refused.isPossible).toBe(false);
  });
});

describe('mergeList properties', () => {
  const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f').map((t) => note(t));
  const list = fc.uniqueArray(item, { selector: (i) => i.text, maxLength: 6 });
  const keys = (items: readonly unknown[]) => new Set(items.map((i) => canonicalJson(i)));

  it('never loses an item both versions hold, never duplicates, and holds nothing neither version holds', () => {
    fc.assert(fc.property(list, list, fc.option(list, { nil: null }), (local, server, base) => {
      const merged = mergeList(local, server, base);
      const mergedKeys = keys(merged);
      expect(mergedKeys.size).toBe(merged.length);
      for (const k of keys(local)) if (keys(server).has(k)) expect(mergedKeys.has(k)).toBe(true);
      for (const k of mergedKeys) expect(keys(local).has(k) || keys(server).has(k)).toBe(true);
    }));
  });

  it('keeps every item the central record added and every item the device added since the base', () => {
    fc.assert(fc.property(list, list, list, (local, server, base) => {
      const merged = keys(mergeList(local, server, base));
      const baseKeys = keys(base);
      for (const k of keys(server)) if (!baseKeys.has(k)) expect(merged.has(k)).toBe(true);
      for (const k of keys(local)) if (!baseKeys.has(k)) expect(merged.has(k)).toBe(true);
    }));
  });
});
