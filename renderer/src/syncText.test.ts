import { describe, expect, it } from 'vitest';
import { type SyncStatus } from '../../contract';
import { describeSync } from './syncText';

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
