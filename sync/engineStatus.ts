import type { SyncStatus } from '../core/views';
import type { IssueRepo } from '../db/issueRepo';
import type { OutboxRepo } from '../db/outboxRepo';
import { FhirClientError } from './fhirClient';
import type { RunResult } from './syncRun';

/** How the engine's status is worked out: the start, failures in plain words, the counts the strip shows. */
export const INITIAL: SyncStatus = {
  state: 'idle',
  isOnline: false,
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastFailure: null,
  progress: { done: 0, total: null, phase: 'Not synced yet' },
  scopes: [],
  pendingUploads: 0,
  quarantined: 0,
  conflicts: 0,
  recentlyPurged: 0,
};

const WEEK_MS = 7 * 86_400_000;

export function failureOf(error: unknown): Readonly<{ reason: NonNullable<SyncStatus['lastFailure']>['reason']; message: string }> {
  if (error instanceof FhirClientError) {
    // A page the server keeps refusing as unreadable is a server problem from the crew's point of view.
    if (error.reason === 'bad-data') return { reason: 'server-error', message: 'The central record gave an answer OnScene could not use. OnScene will try again later.' };
    return { reason: error.reason, message: error.message };
  }
  return { reason: 'storage', message: 'The local database could not store what was received. Cached data is unchanged.' };
}

/** What the status strip counts: uploads waiting, items set aside, conflicts, recent purges. */
export async function readCounts(outbox: OutboxRepo, issues: IssueRepo, now: Date): Promise<Partial<SyncStatus>> {
  const since = new Date(now.getTime() - WEEK_MS).toISOString();
  const purged = (await issues.list('purged', 'info', 500)).filter((i) => i.at >= since).length;
  return {
    pendingUploads: await outbox.count(),
    quarantined: (await issues.count('quarantined-in', 'open')) + (await issues.count('rejected-out', 'open')),
    conflicts: await issues.count('conflict', 'open'),
    recentlyPurged: purged,
  };
}

/** A device clock far from the server's makes "last confirmed" times wrong: say so. */
export function clockFailure(deviceNow: Date, serverAt: string, limitMs: number, at: string): SyncStatus['lastFailure'] {
  const skewMs = Math.abs(deviceNow.getTime() - Date.parse(serverAt));
  if (!(skewMs > limitMs)) return null;
  const minutes = Math.round(skewMs / 60_000);
  return { reason: 'clock', message: `This device's clock is about ${minutes} minutes different from the central record's. Correct the date and time settings.`, at };
}

/** The outcome of a successful run as status: a conflict or a wrong clock still needs the user's attention. */
export function successStatus(result: RunResult, failure: SyncStatus['lastFailure'], at: string): Partial<SyncStatus> {
  const conflict = result.push.conflicts > 0
    ? { reason: 'conflict' as const, message: `${result.push.conflicts} of your changes met a newer version on the central record. Both versions are kept for a clinician to review.`, at }
    : null;
  const lastFailure = conflict ?? failure;
  return { state: lastFailure ? 'error' : 'idle', isOnline: true, lastSuccessAt: result.serverTime, lastFailure };
}

