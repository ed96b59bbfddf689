import { useCallback, useEffect, useState } from 'react';
import { type SyncDetailView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { SyncPurgedList, SyncQuarantinedList, SyncScopeList, SyncUploadList } from './SyncDetailParts';
import { useFocusOnMount } from './hooks';
import { describeSync } from './syncText';
import { formatAbsoluteTime } from './timeFormat';

type Props = Readonly<{
  now: number;
  onBack: () => void;
  /** To the conflict review (a conflict in the uploads list). */
  onReviewConflicts: () => void;
}>;

type State = { kind: 'loading' } | { kind: 'loaded'; detail: SyncDetailView } | { kind: 'failed'; message: string };

/**
 * Issue #14: everything sync knows that a crew may need, one section each: the last problem and
 * what to do, what is being fetched per scope and tier, what waits to upload and why, what could
 * not be read, and what was removed from this device and why. Asks again on every sync change
 * (through the audited path: it names patients).
 */
export function SyncDetailScreen({ now, onBack, onReviewConflicts }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    const result = await client.call('sync.detail', {});
    if (result.ok) setState({ kind: 'loaded', detail: result.value });
    else setState((previous) => (previous.kind === 'loaded' ? previous : { kind: 'failed', message: result.error.message }));
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);
  // Progress events come often while syncing: ask again at most every couple of seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = client.onEvent((event) => {
      if ((event.name === 'sync.changed' || event.name === 'record.changed') && !timer) {
        timer = setTimeout(() => {
          timer = null;
          void load();
        }, 1500);
      }
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [client, load]);

  const detail = state.kind === 'loaded' ? state.detail : null;
  const described = detail ? describeSync(detail.status, now) : null;

  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>Back
      </button>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Sync details
      </h1>
      {state.kind === 'loading' ? <p role="status">Reading sync status…</p> : null}
      {state.kind === 'failed' ? <ErrorSummary title="Cannot show sync details" errors={[{ text: state.message }]} /> : null}
      {detail && described ? (
        <>
          <section aria-labelledby="sync-now-heading">
            <h2 className="nhsuk-heading-m" id="sync-now-heading">
              {described.label}
            </h2>
            <p>
              {described.lastSynced}
              {described.lastSyncedAbsolute ? ` (${described.lastSyncedAbsolute})` : ''}.
              {detail.fetching ? ` Now: ${detail.fetching}.` : ''}
            </p>
            {detail.lastFailure ? (
              <div className="app-sync-detail__item app-sync-detail__item--warning">
                <p>
                  <strong>Last problem ({formatAbsoluteTime(detail.lastFailure.at)}):</strong> {detail.lastFailure.message}
                </p>
                <p>
                  <strong>What to do:</strong> {detail.lastFailure.whatToDo}
                </p>
              </div>
            ) : null}
          </section>
          <SyncUploadList uploads={detail.uploads} hidden={detail.notShown.uploads} onReviewConflicts={onReviewConflicts} />
          <SyncScopeList scopes={detail.scopes} />
          <SyncQuarantinedList items={detail.quarantined} hidden={detail.notShown.quarantined} />
          <SyncPurgedList items={detail.purged} hidden={detail.notShown.purged} />
        </>
      ) : null}
    </>
  );
}
