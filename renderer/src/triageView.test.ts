import { describe, expect, it } from 'vitest';
import { type News2View } from '../../contract';
import { aSet, aVersion, aView } from './triageFixture';
import { editableSet, hasRecordedSet, isAtLeastAsNew, recordedSets, setNumber, trendRows, typedValue } from './triageView';

const notScored = (): News2View => ({ isComplete: false, missing: [] });

describe('reading a triage view', () => {
  it('finds the set being entered or corrected', () => {
    expect(editableSet(aView())).toBeNull();
    const recorded = aSet({ setId: 's1', status: 'final', versions: [aVersion()] });
    expect(editableSet(aView({ sets: [recorded] }))).toBeNull();
    const draft = aSet({ setId: 's2' });
    expect(editableSet(aView({ sets: [recorded, draft] }))?.setId).toBe('s2');
    const correcting = aSet({ setId: 's1', status: 'final', isCorrecting: true, versions: [aVersion()] });
    expect(editableSet(aView({ sets: [correcting] }))?.setId).toBe('s1');
    expect(setNumber(aView({ sets: [recorded, draft] }), 's2')).toBe(2);
  });

  it('trends the latest recorded version of each set, by time taken, leaving out sets entered in error', () => {
    const late = aSet({ setId: 'a', status: 'final', versions: [aVersion({ takenAt: '2025-03-03T10:50:00Z' })] });
    const early = aSet({ setId: 'b', status: 'amended', versions: [aVersion(), aVersion({ version: 2, status: 'amended', takenAt: '2025-03-03T10:30:00Z', entries: { ...aVersion().entries, pulse: '99' } })] });
    const wrong = aSet({ setId: 'c', status: 'entered-in-error', versions: [aVersion(), aVersion({ version: 2, status: 'entered-in-error' })] });
    const draft = aSet({ setId: 'd' });
    const view = aView({ sets: [late, early, wrong, draft] });
    const rows = trendRows(view, notScored);
    expect(rows.map((r) => r.setId)).toEqual(['b', 'a']);
    expect(rows[0]?.entries.pulse).toBe('99');
    expect(rows[0]?.number).toBe(2);
    expect(recordedSets(view)).toHaveLength(3);
    expect(hasRecordedSet(view)).toBe(true);
    expect(hasRecordedSet(aView({ sets: [draft] }))).toBe(false);
  });

  it('reads typed values and refuses to let an older answer replace a newer one', () => {
    expect(typedValue('37.5')).toBe(37.5);
    expect(typedValue('')).toBeNull();
    expect(typedValue('-')).toBeNull();
    const older = aView({ updatedAt: '2025-03-03T10:40:00Z' });
    const newer = aView({ updatedAt: '2025-03-03T10:41:00Z' });
    expect(isAtLeastAsNew(newer, older)).toBe(true);
    expect(isAtLeastAsNew(older, newer)).toBe(false);
    expect(isAtLeastAsNew(older, null)).toBe(true);
  });
});
