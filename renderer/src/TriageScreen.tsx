import { useCallback, useEffect, useRef, useState } from 'react';
import { type TriageView } from '../../contract';
import { useClient } from './ClientContext';
import { DispositionForm } from './DispositionForm';
import { ErrorSummary } from './ErrorSummary';
import { HandoverScreen } from './HandoverScreen';
import { TriageLinkPanel } from './TriageLinkPanel';
import { TriageNav, type TriagePart } from './TriageNav';
import { TriageObservations } from './TriageObservations';
import { TriageTrend } from './TriageTrend';
import { UnidentifiedPatientForm } from './UnidentifiedPatientForm';
import { useFocusOnMount } from './hooks';
import { type TriageOrigin, type TriageRoute } from './triageNavigation';
import { shortTime, waitingText } from './triageText';
import { hasRecordedSet, isAtLeastAsNew, type TriageAct } from './triageView';

type RouteProps = Readonly<{ route: TriageRoute; onBack: (origin: TriageOrigin) => void }>;

/** What App renders for the 'triage' screen: the unidentified-patient form first when asked for, then the episode. */
export function TriageRouteScreen({ route, onBack }: RouteProps) {
  const [started, setStarted] = useState<TriageView | null>(null);
  if (route.kind === 'episode') return <TriageScreen triageId={route.triageId} initialView={null} origin={route.origin} onBack={() => onBack(route.origin)} />;
  if (started) return <TriageScreen triageId={started.triageId} initialView={started} origin={null} onBack={() => onBack(null)} />;
  return <UnidentifiedPatientForm onStarted={setStarted} onCancel={() => onBack(null)} />;
}

type Props = Readonly<{ triageId: string; initialView: TriageView | null; origin: TriageOrigin; onBack: () => void }>;

/**
 * One triage episode (issue #12), one step at a time: observations, trend, disposition, ATMIST
 * handover. Every call answers the whole view, which is kept here and handed to the steps; an
 * answer older than the one shown is ignored.
 */
export function TriageScreen({ triageId, initialView, origin, onBack }: Props) {
  const client = useClient();
  const [view, setView] = useState<TriageView | null>(initialView);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [part, setPart] = useState<TriagePart>('observations');
  const [isLinking, setIsLinking] = useState(false);
  const apply = useCallback((next: TriageView) => setView((current) => (isAtLeastAsNew(next, current) ? next : current)), []);
  const act = useCallback<TriageAct>(
    async (run) => {
      const result = await run();
      if (result.ok) apply(result.value);
      return result;
    },
    [apply],
  );
  const load = useCallback(async () => {
    const result = await client.call('triage.open', { triageId });
    if (result.ok) {
      setLoadError(null);
      apply(result.value);
    } else setLoadError(result.error.message);
  }, [client, triageId, apply]);

  useEffect(() => {
    if (!initialView) void load();
  }, [initialView, load]);

  // "Waiting to upload" must turn into "Uploaded" when a sync has sent them: after each completed
  // sync, while anything waits, ask again (an audited open, once per sync, never on a timer).
  const waiting = useRef(0);
  waiting.current = view?.waitingToUpload ?? 0;
  const lastSyncAt = useRef<string | null>(null);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.name !== 'sync.changed' || !event.payload.lastSuccessAt || event.payload.lastSuccessAt === lastSyncAt.current) return;
        const isFirst = lastSyncAt.current === null;
        lastSyncAt.current = event.payload.lastSuccessAt;
        if (!isFirst && waiting.current > 0) void load();
      }),
    [client, load],
  );

  // A new episode has no set yet: start the first one at once, so the crew can type straight away.
  const hasAutoAdded = useRef(false);
  const needsFirstSet = view !== null && view.state === 'in-progress' && view.sets.length === 0;
  useEffect(() => {
    if (!needsFirstSet || hasAutoAdded.current) return;
    hasAutoAdded.current = true;
    void act(() => client.call('triage.addSet', { triageId }));
  }, [needsFirstSet, act, client, triageId]);

  if (!view) return <TriageLoading error={loadError} onRetry={() => void load()} onBack={onBack} />;
  if (isLinking) {
    return <TriageLinkPanel view={view} onCancel={() => setIsLinking(false)} onLinked={(linked) => { apply(linked); setIsLinking(false); }} />;
  }
  if (part === 'handover') {
    return <HandoverScreen view={view} act={act} apply={apply} onBack={() => setPart('observations')} onGoToDisposition={() => setPart('disposition')} />;
  }
  return (
    <div className="app-triage">
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>
        {origin ? 'Back to record' : 'Back to incidents'}
      </button>
      <TriageBanner view={view} act={act} onLink={() => setIsLinking(true)} />
      <TriageNav part={part} onGo={setPart} />
      {part === 'observations' ? <TriageObservations view={view} act={act} apply={apply} onGo={setPart} /> : null}
      {part === 'trend' ? <TriageTrend view={view} act={act} onCorrecting={() => setPart('observations')} /> : null}
      {part === 'disposition' ? <DispositionForm view={view} act={act} apply={apply} /> : null}
    </div>
  );
}

/** Who this is, the resuscitation decision, and what is still only on this device. */
function TriageBanner({ view, act, onLink }: Readonly<{ view: TriageView; act: TriageAct; onLink: () => void }>) {
  const client = useClient();
  const [undoError, setUndoError] = useState<string | null>(null);
  const undo = async () => {
    const result = await act(() => client.call('triage.unlinkPatient', { triageId: view.triageId }));
    setUndoError(result.ok ? null : result.error.message);
  };
  return (
    <div className="app-triage-banner">
      <p className="app-triage-banner__patient">
        <span className="nhsuk-u-visually-hidden">Triage for </span>
        <strong>{view.patient.name}</strong>
        {view.handover.age ? ` · ${view.handover.age}` : ''}
        {view.patient.nhsNumber ? <span className="app-nhs-number"> · NHS number {view.patient.nhsNumber}</span> : null}
        {view.patient.isUnidentified ? ' · identity not yet known ' : ''}
        {view.patient.isUnidentified ? <strong className="nhsuk-tag nhsuk-tag--orange app-item__tag">Identity not verified</strong> : null}
      </p>
      {view.patient.isUnidentified ? (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onLink}>
          Link to the identified patient
        </button>
      ) : null}
      {view.linkedFrom ? (
        <div className="app-notice" role="status">
          <p>
            Linked from the temporary identity “{view.linkedFrom.name}” at {shortTime(view.linkedFrom.linkedAt)}.
            {view.linkedFrom.canUndo ? ' Nothing has been uploaded yet, so the link can be undone.' : ' Already sent to the central record with this patient.'}
          </p>
          {view.linkedFrom.canUndo ? (
            <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void undo()}>
              Undo link
            </button>
          ) : null}
          {undoError ? <p className="nhsuk-error-message">{undoError}</p> : null}
        </div>
      ) : null}
      <p className="app-triage-banner__resus">Resuscitation: {view.resuscitationHeadline}</p>
      <p className="app-triage-banner__upload" role="status">
        {view.state === 'finished' && view.finishedAt ? `Triage finished at ${shortTime(view.finishedAt)}. ` : ''}
        {waitingText(view.waitingToUpload, hasRecordedSet(view))}
      </p>
    </div>
  );
}

function TriageLoading({ error, onRetry, onBack }: Readonly<{ error: string | null; onRetry: () => void; onBack: () => void }>) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>Back
      </button>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Triage
      </h1>
      {error ? (
        <>
          <ErrorSummary title="Cannot open this triage" errors={[{ text: error }]} />
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onRetry}>
            Try again
          </button>
        </>
      ) : (
        <p role="status">Opening triage…</p>
      )}
    </>
  );
}
