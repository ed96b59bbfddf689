import { useCallback, useEffect, useRef, useState } from 'react';
import { type PatientRecordView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { OfflineBanner } from './OfflineBanner';
import { RecordBody } from './RecordBody';
import { useFocusOnMount } from './hooks';
import { describeBirth, describeNhsNumber } from './patientText';
import { parseIsoMs } from './timeFormat';

export type RecordTarget = Readonly<{ patientId: string; incidentId: string; patientName: string }>;

type Props = Readonly<{
  target: RecordTarget;
  now: number;
  /** The last successful sync, to offer a reload when newer data has arrived. */
  lastSyncedAt: string | null;
  /** The sync status says the central record is unreachable now (the record may predate that). */
  isSyncOffline: boolean;
  onBack: () => void;
}>;

type RecordState = { kind: 'loading' } | { kind: 'loaded'; record: PatientRecordView } | { kind: 'failed'; message: string };

/**
 * One patient's record, safety first: resuscitation decision, alerts, allergies, care plans, then
 * medications and conditions. Every open is audited by main, so the record is not silently
 * re-fetched behind the crew's back; they are offered the latest instead.
 */
export function RecordScreen({ target, now, lastSyncedAt, isSyncOffline, onBack }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [state, setState] = useState<RecordState>({ kind: 'loading' });
  const syncAtLoad = useRef<string | null>(lastSyncedAt);
  const latestSync = useRef<string | null>(lastSyncedAt);
  latestSync.current = lastSyncedAt;

  const load = useCallback(async () => {
    syncAtLoad.current = latestSync.current;
    const result = await client.call('record.open', { patientId: target.patientId, incidentId: target.incidentId });
    setState(result.ok ? { kind: 'loaded', record: result.value } : { kind: 'failed', message: result.error.message });
  }, [client, target.patientId, target.incidentId]);

  useEffect(() => {
    void load();
  }, [load]);

  const record = state.kind === 'loaded' ? state.record : null;
  const hasNewerSync = record !== null && (parseIsoMs(lastSyncedAt) ?? 0) > (parseIsoMs(syncAtLoad.current) ?? 0);

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
      {hasNewerSync ? (
        <div className="app-notice" role="status">
          <p>A sync has finished since you opened this record, so it may have changed.</p>
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={() => void load()}>
            Show latest record
          </button>
        </div>
      ) : null}
      {state.kind === 'loading' ? <p role="status">Opening record…</p> : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorSummary title="Cannot open this record" errors={[{ text: state.message }]} />
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void load()}>
            Try again
          </button>
        </>
      ) : null}
      {record ? <RecordBody record={record} now={now} /> : null}
    </>
  );
}
