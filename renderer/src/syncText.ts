/** Plain-language description of the sync status for the status strip (pure, tested). */
import { type SyncStatus } from '../../contract';
import { formatAbsoluteTime, formatRelativeTime, parseIsoMs } from './timeFormat';

export type SyncTone = 'online' | 'offline' | 'syncing' | 'error';

export type SyncProgressView = Readonly<{
  /** Never more than max; null max means the total is not known yet (indeterminate). */
  value: number;
  max: number | null;
  text: string;
}>;

export type SyncDescription = Readonly<{
  tone: SyncTone;
  label: string;
  lastSynced: string;
  lastSyncedAbsolute: string | null;
  progress: SyncProgressView | null;
  failure: string | null;
}>;

function describeProgress(progress: SyncStatus['progress']): SyncProgressView {
  const phase = progress.phase.trim() || 'Syncing';
  if (progress.total === null) return { value: progress.done, max: null, text: `${phase}: ${progress.done} done so far` };
  // Honest progress: never past 100%, even if a counter overshoots.
  const value = Math.min(progress.done, progress.total);
  return { value, max: progress.total, text: `${phase}: ${value} of ${progress.total}` };
}

/** Is the last failure newer than the last success (so still relevant to show)? */
function isCurrentFailure(status: SyncStatus): boolean {
  if (!status.lastFailure) return false;
  if (status.state === 'error' || status.state === 'offline') return true;
  const failedAt = parseIsoMs(status.lastFailure.at) ?? 0;
  const succeededAt = parseIsoMs(status.lastSuccessAt) ?? -1;
  return failedAt > succeededAt;
}

/**
 * @example describeSync({ state: 'idle', isOnline: true, lastSuccessAt: t, ... }, now).lastSynced
 *   // 'Last synced 3 minutes ago'
 */
export function describeSync(status: SyncStatus, nowMs: number): SyncDescription {
  const tone: SyncTone =
    status.state === 'syncing' ? 'syncing' : !status.isOnline || status.state === 'offline' ? 'offline' : status.state === 'error' ? 'error' : 'online';
  const label = { online: 'Online', offline: 'Offline', syncing: 'Syncing', error: 'Sync problem' }[tone];
  return {
    tone,
    label,
    lastSynced: status.lastSuccessAt ? `Last synced ${formatRelativeTime(status.lastSuccessAt, nowMs)}` : 'Not synced yet',
    lastSyncedAbsolute: status.lastSuccessAt ? formatAbsoluteTime(status.lastSuccessAt) : null,
    progress: status.state === 'syncing' ? describeProgress(status.progress) : null,
    failure: isCurrentFailure(status) && status.lastFailure ? status.lastFailure.message : null,
  };
}
