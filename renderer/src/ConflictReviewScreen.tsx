import { useCallback, useEffect, useState } from 'react';
import { type ConflictDetailView, type SyncConflictView } from '../../contract';
import { useClient } from './ClientContext';
import { ConflictVersions } from './ConflictVersions';
import { ErrorSummary } from './ErrorSummary';
import { useFocusOnMount } from './hooks';
import { formatWhen } from './recordText';

type Props = Readonly<{ onBack: () => void; backLabel?: string }>;
type Choice = 'reapply-local' | 'keep-server' | 'combine';

const TYPE_WORDS: Readonly<Record<string, string>> = { CarePlan: 'care plan', Patient: 'patient details', RelatedPerson: 'contact', Communication: 'note' };
const typeWords = (type: string) => TYPE_WORDS[type] ?? type;

const DONE: Readonly<Record<Choice, string>> = {
  'reapply-local': 'Your version is kept. It will be sent on top of the shared care record’s version at the next sync.',
  'keep-server': 'The shared care record’s version is kept. Your change was not sent.',
  combine: 'Both versions are combined. The combined version will be sent at the next sync.',
};

/**
 * Issue #14: conflict review that never decides blind. The list names what and when (no clinical
 * values); opening one (audited, the patient's access rule) shows both versions field by field,
 * then the clinician keeps theirs, keeps the shared care record's, or combines where lists allow.
 */
export function ConflictReviewScreen({ onBack, backLabel = 'Back' }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [conflicts, setConflicts] = useState<readonly SyncConflictView[] | null>(null);
  const [open, setOpen] = useState<ConflictDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isDeciding, setIsDeciding] = useState(false);

  const load = useCallback(async () => {
    const result = await client.call('conflicts.list', {});
    if (result.ok) setConflicts(result.value.conflicts);
    else setError(result.error.message);
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => client.onEvent((event) => event.name === 'sync.changed' && void load()), [client, load]);

  async function review(conflictId: string) {
    setError(null);
    setDone(null);
    const result = await client.call('conflicts.open', { conflictId });
    if (result.ok) setOpen(result.value);
    else setError(result.error.message);
  }

  async function decide(choice: Choice) {
    if (!open || isDeciding) return;
    setIsDeciding(true);
    const result = await client.call('conflicts.resolve', { conflictId: open.conflictId, choice });
    setIsDeciding(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setOpen(null);
    setDone(DONE[choice]);
    await load();
  }

  return (
    <>
      <button type="button" className="app-back" onClick={open ? () => setOpen(null) : onBack}>
        <span aria-hidden="true">‹</span>
        {open ? 'Back to changes to review' : backLabel}
      </button>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        {open ? open.title : 'Changes to review'}
      </h1>
      {error ? <ErrorSummary title="That did not work" errors={[{ text: error }]} /> : null}
      <div role="status" aria-live="polite">{done ? <p className="app-notice">{done}</p> : null}</div>
      {open ? <ConflictDetail detail={open} isDeciding={isDeciding} onDecide={(choice) => void decide(choice)} /> : <ConflictList conflicts={conflicts} onReview={(id) => void review(id)} />}
    </>
  );
}

function ConflictList({ conflicts, onReview }: Readonly<{ conflicts: readonly SyncConflictView[] | null; onReview: (conflictId: string) => void }>) {
  if (conflicts === null) return <p role="status">Loading changes to review…</p>;
  if (conflicts.length === 0) return <p>Nothing to review. Every change made on this device has reached the shared care record or is waiting to upload.</p>;
  return (
    <>
      <p>A change saved on this device met a newer version on the shared care record. Both versions are kept until you choose.</p>
      <ul className="nhsuk-list app-items">
        {conflicts.map((c) => (
          <li key={c.conflictId} className="app-item">
            <p className="app-item__title">Change to a {typeWords(c.resourceType)}</p>
            <p className="app-item__detail">Found {formatWhen(c.at)} · differs in: {c.changedFields.join(', ') || 'no clinical field'}</p>
            <button type="button" className="nhsuk-button app-button-inline" onClick={() => onReview(c.conflictId)}>
              Review both versions<span className="nhsuk-u-visually-hidden"> of the {typeWords(c.resourceType)} change found {formatWhen(c.at)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function ConflictDetail({ detail, isDeciding, onDecide }: Readonly<{ detail: ConflictDetailView; isDeciding: boolean; onDecide: (choice: Choice) => void }>) {
  return (
    <>
      <p className="app-identity">
        {detail.patient.name}
        {detail.patient.nhsNumber ? <span className="app-identity__item"> · NHS number <span className="app-nhs-number">{detail.patient.nhsNumber}</span></span> : null}
      </p>
      <p>Found {formatWhen(detail.detectedAt)}. {detail.isThreeWay ? 'Each difference says where it was made.' : 'The version your change started from was not kept, so where each difference was made is not known.'}</p>
      <ConflictVersions detail={detail} />
      <section className="app-diff__actions" aria-labelledby="conflict-choose">
        <h2 className="nhsuk-heading-m" id="conflict-choose">Choose which version to keep</h2>
        <div className="app-button-row">
          {detail.isServerVersionMissing ? null : (
            <button type="button" className="nhsuk-button nhsuk-button--secondary" disabled={isDeciding} onClick={() => onDecide('keep-server')}>
              Keep the shared care record’s version
            </button>
          )}
          <button type="button" className="nhsuk-button nhsuk-button--secondary" disabled={isDeciding} onClick={() => onDecide('reapply-local')}>
            Keep my version
          </button>
          {detail.combine.isPossible ? (
            <button type="button" className="nhsuk-button" disabled={isDeciding} onClick={() => onDecide('combine')}>
              Combine both versions
            </button>
          ) : null}
        </div>
        {detail.combine.isPossible ? (
          <p className="app-item__detail">Combining keeps every item of both lists and each change only one side made.</p>
        ) : (
          <p className="app-item__detail">{detail.combine.reason}</p>
        )}
      </section>
    </>
  );
}
