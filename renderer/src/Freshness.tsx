import { type ProvenanceView } from '../../contract';
import { useRecordClock } from './RecordClock';
import { isStale, staleReason } from './recordFreshness';
import { provenanceText } from './recordText';
import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

type Props = Readonly<{
  confirmedAt: string | null;
  /** Resuscitation decision, alerts, allergies and care plans: the only items that say "may have changed". */
  isSafetyCritical?: boolean;
}>;

/**
 * "Last confirmed 3 minutes ago (3 Mar 2025, 14:05)" and, for a safety-critical item not confirmed
 * within the threshold, "May have changed" with the reason. Decided from the renderer's clock, so
 * it turns on by itself on a screen left open.
 */
export function Freshness({ confirmedAt, isSafetyCritical = false }: Props) {
  const { now, staleAfterMs, connection } = useRecordClock();
  const stale = isSafetyCritical && isStale(confirmedAt, now, staleAfterMs);
  return (
    <p className="app-freshness">
      {confirmedAt ? `Last confirmed ${formatRelativeTime(confirmedAt, now)} (${formatAbsoluteTime(confirmedAt)})` : 'Never confirmed by the central record'}
      {stale ? (
        <>
          {' '}
          <strong className="nhsuk-tag nhsuk-tag--orange app-stale-tag">May have changed</strong>{' '}
          <span className="app-stale-reason">{staleReason(confirmedAt, now, connection)}</span>
        </>
      ) : null}
    </p>
  );
}

/** Who recorded an item and when, then its freshness: the foot of every item. */
export function ItemSource({ source, confirmedAt, isSafetyCritical = false }: Readonly<{ source: ProvenanceView } & Props>) {
  const recorded = provenanceText(source);
  return (
    <>
      {recorded ? <p className="app-item__source">{recorded}</p> : null}
      <Freshness confirmedAt={confirmedAt} isSafetyCritical={isSafetyCritical} />
    </>
  );
}
