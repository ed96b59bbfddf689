import { type PurgedDetail, type QuarantinedItem, type SyncScopeDetail, type UploadWait } from '../../contract';
import { groupUploads } from './syncText';
import { formatAbsoluteTime } from './timeFormat';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Items about patients this user may not see: said, never named. */
function NotShown({ count, what }: Readonly<{ count: number; what: string }>) {
  if (count === 0) return null;
  return <p>{`${count} more ${what} for patients you cannot see on this device.`}</p>;
}

type UploadProps = Readonly<{ uploads: readonly UploadWait[]; hidden: number; onReviewConflicts: () => void }>;

/** What the central record does not have yet: what, for whom, since when, why not yet. */
export function SyncUploadList({ uploads, hidden, onReviewConflicts }: UploadProps) {
  return (
    <section aria-labelledby="sync-uploads-heading">
      <h2 className="nhsuk-heading-m" id="sync-uploads-heading">
        Waiting to upload
      </h2>
      {uploads.length === 0 && hidden === 0 ? <p>Nothing is waiting: everything recorded on this device has reached the central record.</p> : null}
      <ul className="app-sync-detail__list">
        {groupUploads(uploads).map(({ key, count, first: u }) => (
          <li key={key} className={`app-sync-detail__item ${u.why === 'refused' || u.why === 'conflict' ? 'app-sync-detail__item--problem' : 'app-sync-detail__item--warning'}`}>
            <strong>{count > 1 ? `${count} × ${u.what}` : u.what}</strong>
            {u.patientName ? ` for ${u.patientName}` : u.patientId ? ' for a patient no longer on this device' : ''}
            <p>
              {count > 1 ? 'First recorded' : 'Recorded'} {formatAbsoluteTime(u.since)}. {u.whyText}
            </p>
            {u.conflictId ? (
              <button type="button" className="nhsuk-button nhsuk-button--secondary app-sync-detail__action" onClick={onReviewConflicts}>
                Review this conflict
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <NotShown count={hidden} what="waiting" />
    </section>
  );
}

/** Per scope and tier: honest progress, never "complete" before it is. */
export function SyncScopeList({ scopes }: Readonly<{ scopes: readonly SyncScopeDetail[] }>) {
  return (
    <section aria-labelledby="sync-scopes-heading">
      <h2 className="nhsuk-heading-m" id="sync-scopes-heading">
        Records kept on this device
      </h2>
      {scopes.length === 0 ? <p>No sync has run since OnScene started. Press Sync now when there is signal.</p> : null}
      <ul className="app-sync-detail__list">
        {scopes.map((scope) => (
          <li key={scope.scope} className="app-sync-detail__item">
            <strong>{scope.label}</strong>: {plural(scope.patients, 'patient', 'patients')} at the last sync. {scope.state}
            {scope.lastCompleteAt ? <p>Last complete {formatAbsoluteTime(scope.lastCompleteAt)}.</p> : <p>Not complete yet.</p>}
            <ul className="app-sync-detail__tiers">
              {scope.tiers.map((tier) => (
                <li key={tier.tier}>
                  {tier.label}: {tier.isComplete ? 'complete' : `${Math.min(tier.done, tier.total)} of ${tier.total} kinds of record fetched`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What could not be read (incoming) or was refused (outgoing), in plain language. */
export function SyncQuarantinedList({ items, hidden }: Readonly<{ items: readonly QuarantinedItem[]; hidden: number }>) {
  return (
    <section aria-labelledby="sync-unreadable-heading">
      <h2 className="nhsuk-heading-m" id="sync-unreadable-heading">
        Could not be read or sent
      </h2>
      {items.length === 0 && hidden === 0 ? <p>Nothing: every record received could be read, and nothing sent was refused.</p> : null}
      <ul className="app-sync-detail__list">
        {items.map((item) => (
          <li key={item.key} className="app-sync-detail__item app-sync-detail__item--problem">
            <strong>{item.what}</strong>
            {item.patientName ? ` for ${item.patientName}` : ''} ({formatAbsoluteTime(item.at)})
            <p>{item.whyText}</p>
          </li>
        ))}
      </ul>
      <NotShown count={hidden} what="items" />
    </section>
  );
}

/** Patients removed from this device and why; their names left with their records. */
export function SyncPurgedList({ items, hidden }: Readonly<{ items: readonly PurgedDetail[]; hidden: number }>) {
  return (
    <section aria-labelledby="sync-purged-heading">
      <h2 className="nhsuk-heading-m" id="sync-purged-heading">
        Removed from this device
      </h2>
      {items.length === 0 && hidden === 0 ? <p>Nothing has been removed recently.</p> : null}
      {items.length > 0 ? <p>Names are not kept after a record is removed. Work recorded for these patients is kept until it uploads.</p> : null}
      <ul className="app-sync-detail__list">
        {items.map((item) => (
          <li key={`${item.patientId}-${item.at}-${item.reason}`} className="app-sync-detail__item">
            <strong>{formatAbsoluteTime(item.at)}</strong>: {item.whyText} {plural(item.resourceCount, 'item', 'items')} removed.
          </li>
        ))}
      </ul>
      <NotShown count={hidden} what="removals" />
    </section>
  );
}
