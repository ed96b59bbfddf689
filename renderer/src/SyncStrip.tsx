import { type SyncStatus } from '../../contract';
import { describeCounts, describeSync } from './syncText';

type Props = Readonly<{
  status: SyncStatus | null;
  /** A failure of the sync call itself (e.g. OnScene's service not responding). */
  callError: string | null;
  isRequesting: boolean;
  now: number;
  onSyncNow: () => void;
  /** Issue #14: the sync detail screen (uploads waiting, unreadable items, removals, progress per scope). */
  onOpenDetail?: () => void;
  /** Issue #14: straight to the conflict review. */
  onReviewConflicts?: () => void;
}>;

/**
 * One line that answers "can I trust what I see?": online/offline, when the data last synced,
 * honest progress while syncing and the last failure in plain words; beside them (issue #14) what
 * needs attention — uploads waiting, conflicts, unreadable items, removals — each a way in. A polite live region, so
 * changes are announced without stealing focus.
 */
export function SyncStrip({ status, callError, isRequesting, now, onSyncNow, onOpenDetail, onReviewConflicts }: Props) {
  const described = status ? describeSync(status, now) : null;
  const tone = described?.tone ?? 'offline';
  const isSyncing = tone === 'syncing' || isRequesting;
  const failure = callError ?? described?.failure ?? null;
  const counts = status ? describeCounts(status) : [];
  return (
    <section className={`app-sync app-sync--${tone}`} aria-label="Sync status">
      <div className="nhsuk-width-container app-sync__inner">
        <div className="app-sync__text" role="status" aria-live="polite">
          <strong className="app-sync__label">
            <span className="app-sync__dot" aria-hidden="true" />
            {described ? described.label : 'Checking sync status'}
          </strong>
          {described ? (
            <span className="app-sync__when">
              {described.lastSynced}
              {described.lastSyncedAbsolute ? ` (${described.lastSyncedAbsolute})` : ''}
            </span>
          ) : null}
          {described?.progress ? (
            <span className="app-sync__progress">
              <progress
                className="app-sync__bar"
                aria-label="Sync progress"
                value={described.progress.max === null ? undefined : described.progress.value}
                max={described.progress.max ?? undefined}
              />
              <span>{described.progress.text}</span>
            </span>
          ) : null}
          {failure ? <span className="app-sync__failure">{failure}</span> : null}
        </div>
        {counts.length > 0 ? (
          <ul className="app-sync__counts" aria-label="Needs attention">
            {counts.map((c) => {
              const open = c.opens === 'conflicts' ? (onReviewConflicts ?? onOpenDetail) : onOpenDetail;
              return (
                <li key={c.kind}>
                  {open ? (
                    <button type="button" className={`app-sync__count app-sync__count--${c.kind}`} onClick={open}>
                      {c.text}
                    </button>
                  ) : (
                    <span className={`app-sync__count app-sync__count--${c.kind}`}>{c.text}</span>
                  )}
                </li>
              );
            })}
          </ul>
        ) : null}
        <div className="app-sync__actions">
          {onOpenDetail ? (
            <button type="button" className="nhsuk-button nhsuk-button--secondary app-sync__button" onClick={onOpenDetail}>
              Sync details
            </button>
          ) : null}
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-sync__button" onClick={onSyncNow} disabled={isSyncing}>
            {isSyncing ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      </div>
    </section>
  );
}
