import { describe, expect, it } from 'vitest';
import { type SyncStatus } from '../../contract';
import { describeCounts, describeSync, groupUploads } from './syncText';

const now = Date.parse('2025-03-03T12:00:00Z');
const base: SyncStatus = {
  state: 'idle',
  isOnline: true,
  lastSuccessAt: '2025-03-03T11:57:00Z',
  lastAttemptAt: '2025-03-03T11:57:00Z',
  lastFailure: null,
  progress: { done: 0, total: null, phase: '' },
};

describe('describeSync', () => {
  it('says online and when it last synced', () => {
    const d = describeSync(base, now);
    expect(d.label).toBe('Online');
    expect(d.lastSynced).toBe('Last synced 3 minutes ago');
    expect(d.progress).toBeNull();
    expect(d.failure).toBeNull();
  });

  it('never reports progress past 100%', () => {
    const d = describeSync({ ...base, state: 'syncing', progress: { done: 12, total: 10, phase: 'Patients' } }, now);
    expect(d.label).toBe('Syncing');
    expect(d.progress).toEqual({ value: 10, max: 10, text: 'Patients: 10 of 10' });
  });

  it('shows an unknown total as indeterminate, not as a made-up percentage', () => {
    const d = describeSync({ ...base, state: 'syncing', progress: { done: 4, total: null, phase: 'Care plans' } }, now);
    expect(d.progress).toEqual({ value: 4, max: null, text: 'Care plans: 4 done so far' });
  });

  it('shows the failure message while offline', () => {
    const d = describeSync(
      {
        ...base,
        state: 'offline',
        isOnline: false,
        lastFailure: { reason: 'offline', message: 'No signal. Showing saved records.', at: '2025-03-03T11:59:00Z' },
      },
      now,
    );
    expect(d.label).toBe('Offline');
    expect(d.failure).toBe('No signal. Showing saved records.');
  });

  it('hides a failure that a later successful sync has resolved', () => {
    const d = describeSync(
      { ...base, lastFailure: { reason: 'server-error', message: 'Central record error.', at: '2025-03-03T11:00:00Z' } },
      now,
    );
    expect(d.failure).toBeNull();
  });

  it('says when it has never synced', () => {
    expect(describeSync({ ...base, lastSuccessAt: null }, now).lastSynced).toBe('Not synced yet');
  });
});

describe('describeCounts (issue #14)', () => {
  it('lists only what needs attention, each with where it leads', () => {
    expect(describeCounts({ ...base, pendingUploads: 0, quarantined: 0, conflicts: 0, recentlyPurged: 0 })).toEqual([]);
    const counts = describeCounts({ ...base, pendingUploads: 2, quarantined: 1, conflicts: 1, recentlyPurged: 3 });
    expect(counts.map((c) => [c.text, c.opens])).toEqual([
      ['2 uploads waiting', 'detail'],
      ['1 conflict to review', 'conflicts'],
      ['1 item could not be read or sent', 'detail'],
      ['3 removals from this device this week', 'detail'],
    ]);
  });

  it('says an upload is waiting for signal while offline', () => {
    const [uploads] = describeCounts({ ...base, state: 'offline', isOnline: false, pendingUploads: 1 });
    expect(uploads?.text).toBe('1 upload waiting for signal');
  });

  it('reads a status from an older main (no counts) as nothing to show, not as zero problems claimed', () => {
    expect(describeCounts(base)).toEqual([]);
  });
});

describe('describeSync after a search found no signal (issue #14)', () => {
  it('says offline, not online, when the engine reports the search went unanswered', () => {
    const d = describeSync({ ...base, state: 'offline', isOnline: false, lastFailure: { reason: 'offline', message: 'No signal.', at: '2025-03-03T11:59:00Z' } }, now);
    expect(d.label).toBe('Offline');
  });
});

describe('groupUploads', () => {
  const wait = (key: string, what: string, since: string, extra: Partial<Parameters<typeof groupUploads>[0][number]> = {}) => ({
    key, what, since, patientId: 'p1', patientName: 'Test Patient', why: 'offline' as const, whyText: 'No signal.', conflictId: null, ...extra,
  });

  it('folds a triage set into one line per kind, keeping the oldest time, and never folds a conflict', () => {
    const groups = groupUploads([
      wait('Encounter/e1', 'Patient contact (encounter)', '2025-03-03T11:00:00Z'),
      wait('Observation/o2', 'Observation', '2025-03-03T11:02:00Z'),
      wait('Observation/o1', 'Observation', '2025-03-03T11:01:00Z'),
      wait('CarePlan/c1', 'Care plan change', '2025-03-03T10:00:00Z', { why: 'conflict', conflictId: 'conflict:a' }),
      wait('CarePlan/c2', 'Care plan change', '2025-03-03T10:00:00Z', { why: 'conflict', conflictId: 'conflict:b' }),
      wait('Observation/o3', 'Observation', '2025-03-03T11:03:00Z', { patientId: 'p2', patientName: 'Other Patient' }),
    ]);
    expect(groups.map((g) => [g.first.what, g.count, g.first.since, g.first.patientId])).toEqual([
      ['Patient contact (encounter)', 1, '2025-03-03T11:00:00Z', 'p1'],
      ['Observation', 2, '2025-03-03T11:01:00Z', 'p1'],
      ['Care plan change', 1, '2025-03-03T10:00:00Z', 'p1'],
      ['Care plan change', 1, '2025-03-03T10:00:00Z', 'p1'],
      ['Observation', 1, '2025-03-03T11:03:00Z', 'p2'],
    ]);
  });
});
