import { type PatientRecordView } from '../../contract';
import { deathText } from './patientText';
import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

type RecordProps = Readonly<{ record: PatientRecordView }>;

/** Shown first when the record says the patient has died: it changes everything below. */
export function DeceasedBanner({ record }: RecordProps) {
  const text = deathText(record.patient);
  if (!text) return null;
  return (
    <div className="app-deceased" role="note" aria-label="Recorded as deceased">
      <p className="app-deceased__title">Recorded as deceased</p>
      <p>{text}. Check the patient and the scene: the record may be wrong or out of date.</p>
    </div>
  );
}

const WITHHELD_WHY: Readonly<Record<NonNullable<PatientRecordView['withheld']>['reason'], string>> = {
  restricted: 'Some of this patient’s information is restricted and is not shown on this device.',
  'sharing-objection': 'This patient has objected to sharing their record, so only their details are shown on this device.',
};

/** Restricted information exists: said plainly, with who to contact, never as "none recorded". */
export function WithheldNotice({ record }: RecordProps) {
  const withheld = record.withheld;
  if (!withheld) return null;
  return (
    <div className="nhsuk-warning-callout app-withheld">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Restricted information
        </span>
      </h2>
      <p>{WITHHELD_WHY[withheld.reason]}</p>
      {withheld.types.length ? <p>It may include: {withheld.types.join(', ')}.</p> : null}
      <p>{withheld.contact}.</p>
    </div>
  );
}

type SyncStateProps = Readonly<{ state: NonNullable<PatientRecordView['syncState']>; now: number; onReviewConflicts?: () => void }>;

/** Issue #14: this record's own sync state — up to date as of when, changes waiting to upload, in conflict. */
export function RecordSyncState({ state, now, onReviewConflicts }: SyncStateProps) {
  const tone = state.conflicts.length > 0 ? 'conflict' : state.pendingUploads > 0 ? 'waiting' : 'current';
  const n = state.pendingUploads;
  return (
    <section className={`app-record-sync app-record-sync--${tone}`} aria-label="Record sync state">
      <p>
        {state.upToDateAt
          ? `Up to date with the central record as of ${formatAbsoluteTime(state.upToDateAt)} (${formatRelativeTime(state.upToDateAt, now)}).`
          : 'Not yet confirmed by a complete sync with the central record.'}
      </p>
      {n > 0 ? (
        <p>
          <strong>{`${n} ${n === 1 ? 'change' : 'changes'} waiting to upload`}</strong>
          {state.pendingKinds.length ? ` (${state.pendingKinds.join(', ').toLowerCase()})` : ''}. Kept on this device until the central record has them.
        </p>
      ) : null}
      {state.conflicts.length > 0 ? (
        <>
          <p>
            <strong>{`In conflict: ${state.conflicts.map((c) => c.what.toLowerCase()).join(', ')}`}</strong>. Someone else changed the same record; both versions are kept until reviewed.
          </p>
          {onReviewConflicts ? (
            <button type="button" className="nhsuk-button nhsuk-button--secondary app-sync-detail__action" onClick={onReviewConflicts}>
              Review the conflict
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Issue #14: the record was removed from this device while it was open: what happened and why, never a blank screen. */
export function RecordRemovedNotice({ message }: Readonly<{ message: string }>) {
  return (
    <div className="app-record-removed" role="alert">
      <h2 className="nhsuk-heading-m">Removed from this device</h2>
      <p>{message}</p>
      <p>If you still need this patient’s record, find them again with signal, or use emergency access.</p>
    </div>
  );
}
