import { useCallback, useEffect, useRef, useState } from 'react';
import { type PatientRecordView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { OfflineBanner } from './OfflineBanner';
import { RecordBody } from './RecordBody';
import { RecordRemovedNotice, RecordSyncState } from './RecordNotices';
import { TriageEntry } from './TriageEntry';
import { useFocusOnMount } from './hooks';
import { describeBirth, describeNhsNumber } from './patientText';
import { recordChanges } from './recordChanges';
import { clockTime } from './timeFormat';

export type RecordTarget = Readonly<{ patientId: string; incidentId: string; patientName: string }>;

type Props = Readonly<{
  target: RecordTarget;
  now: number;
  /** The sync status says the central record is unreachable now (the record may predate that). */
  isSyncOffline: boolean;
  /** When the central record last answered a sync: "no signal since 02:10" in the freshness reason. */
  lastContactAt: string | null;
  onBack: () => void;
  /** Issue #14: to the conflict review, from the record's own sync state. */
  onReviewConflicts?: () => void;
}>;

/** 'removed': the record was purged from this device while open (issue #14); the screen says so and why. */
type RecordState = { kind: 'loading' } | { kind: 'loaded'; record: PatientRecordView } | { kind: 'failed'; message: string } | { kind: 'removed'; message: string };
/** What the last live update changed, and when it arrived. */
type Update = Readonly<{ at: number; lines: readonly string[] }>;

/**
 * One patient's record, safety first: resuscitation decision, alerts, allergies, care plans, then
 * medications and conditions. Live (issue #11): when main reports that this patient's cached
 * record changed, the screen asks again through the audited path and says what changed.
 */
export function RecordScreen({ target, now, isSyncOffline, lastContactAt, onBack, onReviewConflicts }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [state, setState] = useState<RecordState>({ kind: 'loading' });
  const [update, setUpdate] = useState<Update | null>(null);
  const shown = useRef<PatientRecordView | null>(null);

  const load = useCallback(async () => {
    const result = await client.call('record.open', { patientId: target.patientId, incidentId: target.incidentId });
    if (!result.ok) {
      if (shown.current && result.error.code === 'not-found') {
        // Removed from this device while open (a purge): the record goes from the screen, and the screen says why.
        shown.current = null;
        setUpdate(null);
        setState({ kind: 'removed', message: result.error.message });
        return;
      }
      // A failed refresh keeps the record on screen (its freshness says how old it is); a failed first open says why.
      if (!shown.current) setState({ kind: 'failed', message: result.error.message });
      return;
    }
    const before = shown.current;
    shown.current = result.value;
    setState({ kind: 'loaded', record: result.value });
    const lines = before ? recordChanges(before, result.value) : [];
    if (lines.length > 0) setUpdate({ at: Date.now(), lines });
  }, [client, target.patientId, target.incidentId]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () => client.onEvent((event) => event.name === 'record.changed' && event.payload.patientIds.includes(target.patientId) && void load()),
    [client, load, target.patientId],
  );

  const record = state.kind === 'loaded' ? state.record : null;

  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>Back to incidents
      </button>
      {record && (record.isOffline || isSyncOffline) ? <OfflineBanner syncedAt={record.syncedAt} now={now} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading app-patient-name" ref={headingRef} tabIndex={-1}>
        {record?.patient.name ?? target.patientName}
      </h1>
      {record ? (
        <p className="app-identity">
          {describeBirth(record.patient, now) ?? 'Date of birth not known'}
          <span className="app-identity__sep" aria-hidden="true"> · </span>
          <span className="app-identity__item">
            NHS number <span className="app-nhs-number">{describeNhsNumber(record.patient)}</span>
          </span>
        </p>
      ) : null}
      {record?.syncState ? <RecordSyncState state={record.syncState} now={now} {...(onReviewConflicts ? { onReviewConflicts } : {})} /> : null}
      {record ? <TriageEntry target={target} /> : null}
      <div role="status" aria-live="polite" className={update ? 'app-notice app-record-update' : undefined}>
        {update ? (
          <>
            <p className="app-record-update__title">Updated from the shared care record at {clockTime(update.at)}</p>
            <ul className="nhsuk-list">
              {update.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      {state.kind === 'removed' ? <RecordRemovedNotice message={state.message} /> : null}
      {state.kind === 'loading' ? <p role="status">Opening record…</p> : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorSummary title="Cannot open this record" errors={[{ text: state.message }]} />
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void load()}>
            Try again
          </button>
        </>
      ) : null}
      {record ? (
        <RecordBody record={record} now={now} lastContactAt={lastContactAt} isSyncOffline={isSyncOffline} contributeAs={{ patientId: target.patientId, incidentId: target.incidentId }} />
      ) : null}
    </>
  );
}
