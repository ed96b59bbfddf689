/** Plain-language description of the sync status for the status strip (pure, tested). */
import { type SyncStatus, type UploadWait } from '../../contract';
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

/** One count on the strip (issue #14), each a way into the detail (or straight to the conflict review). */
export type SyncCount = Readonly<{ kind: 'uploads' | 'conflicts' | 'unreadable' | 'purged'; count: number; text: string; opens: 'detail' | 'conflicts' }>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What needs the crew's eye, beside online/offline: uploads waiting, conflicts to review, items
 * that could not be read (or were refused), removals this week. Zero counts are left out: noise.
 * @example describeCounts({ ...status, pendingUploads: 2 })[0].text // '2 uploads waiting'
 */
export function describeCounts(status: SyncStatus): SyncCount[] {
  const isOffline = !status.isOnline || status.state === 'offline';
  const counts: SyncCount[] = [];
  const uploads = status.pendingUploads ?? 0;
  if (uploads > 0) counts.push({ kind: 'uploads', count: uploads, text: `${plural(uploads, 'upload', 'uploads')} waiting${isOffline ? ' for signal' : ''}`, opens: 'detail' });
  const conflicts = status.conflicts ?? 0;
  if (conflicts > 0) counts.push({ kind: 'conflicts', count: conflicts, text: `${plural(conflicts, 'conflict', 'conflicts')} to review`, opens: 'conflicts' });
  const unreadable = status.quarantined ?? 0;
  if (unreadable > 0) counts.push({ kind: 'unreadable', count: unreadable, text: `${plural(unreadable, 'item', 'items')} could not be read or sent`, opens: 'detail' });
  const purged = status.recentlyPurged ?? 0;
  if (purged > 0) counts.push({ kind: 'purged', count: purged, text: `${plural(purged, 'removal', 'removals')} from this device this week`, opens: 'detail' });
  return counts;
}

/** Uploads of the same kind, for the same patient, waiting for the same reason: one line with a count. */
export type UploadGroup = Readonly<{ key: string; count: number; first: UploadWait }>;

/**
 * A triage set is an encounter and several observations: listed one by one they bury the line
 * that matters. Grouped by kind, patient and reason (a conflict stays on its own: it is reviewed
 * alone), oldest first within each group, in the order the groups first appear.
 */
export function groupUploads(uploads: readonly UploadWait[]): UploadGroup[] {
  const groups = new Map<string, { key: string; count: number; first: UploadWait }>();
  for (const u of uploads) {
    const id = u.conflictId ? `conflict|${u.key}` : `${u.what}|${u.patientId ?? ''}|${u.why}|${u.whyText}`;
    const group = groups.get(id);
    if (!group) groups.set(id, { key: u.key, count: 1, first: u });
    else {
      group.count++;
      if (u.since < group.first.since) group.first = u;
    }
  }
  return [...groups.values()];
}
