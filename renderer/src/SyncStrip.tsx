import { type SyncStatus } from '../../contract';
import { describeSync } from './syncText';

type Props = Readonly<{
  status: SyncStatus | null;
  /** A failure of the sync call itself (e.g. OnScene's service not responding). */
  callError: string | null;
  isRequesting: boolean;
  now: number;
  onSyncNow: () => void;
}>;

/**
 * One line that answers "can I trust what I see?": online/offline, when the data last synced,
 * honest progress while syncing and the last failure in plain words. A polite live region, so
 * changes are announced without stealing focus.
 */
export function SyncStrip({ status, callError, isRequesting, now, onSyncNow }: Props) {
  const described = status ? describeSync(status, now) : null;
  const tone = described?.tone ?? 'offline';
  const isSyncing = tone === 'syncing' || isRequesting;
  const failure = callError ?? described?.failure ?? null;
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
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-sync__button" onClick={onSyncNow} disabled={isSyncing}>
          {isSyncing ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
    </section>
  );
}
