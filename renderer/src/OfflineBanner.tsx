import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

/**
 * The unmissable "you are looking at a saved copy" warning. It says how old the copy is, because
 * "offline" alone does not tell a crew whether the data is from this morning or last month.
 */
export function OfflineBanner({ syncedAt, now }: Readonly<{ syncedAt: string | null; now: number }>) {
  return (
    <div className="app-offline-banner" role="status">
      <p className="app-offline-banner__text">
        <strong>
          {syncedAt
            ? `Offline — showing cached data from ${formatRelativeTime(syncedAt, now)}`
            : 'Offline — no data has been synced to this device yet'}
        </strong>
        {syncedAt ? <span className="app-offline-banner__when"> (synced {formatAbsoluteTime(syncedAt)})</span> : null}
      </p>
    </div>
  );
}
