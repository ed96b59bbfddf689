import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

type Props = Readonly<{ syncedAt: string | null; isPossiblyStale: boolean; now: number }>;

/** "Last synced 3 minutes ago (3 Mar 2025, 14:05)" and, when due, a "May have changed" tag. */
export function Freshness({ syncedAt, isPossiblyStale, now }: Props) {
  return (
    <p className="app-freshness">
      {syncedAt ? `Last synced ${formatRelativeTime(syncedAt, now)} (${formatAbsoluteTime(syncedAt)})` : 'Never synced from the central record'}
      {isPossiblyStale ? <strong className="nhsuk-tag nhsuk-tag--orange app-stale-tag">May have changed</strong> : null}
    </p>
  );
}
