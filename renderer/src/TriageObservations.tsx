import { useState } from 'react';
import { type TriageView } from '../../contract';
import { news2For } from '../../core/triageRules';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { News2Panel } from './News2Panel';
import { ObservationSetForm } from './ObservationSetForm';
import { TriageSetTags } from './TriageSetTags';
import { useFocusOnMount } from './hooks';
import { shortTime } from './triageText';
import { editableSet, recordedSets, type RecordedSet, type TriageAct } from './triageView';
import { type TriagePart } from './TriageNav';

type Props = Readonly<{ view: TriageView; act: TriageAct; apply: (view: TriageView) => void; onGo: (part: TriagePart) => void }>;

/** The observations step: the set being entered, or the one just recorded and what to do next. */
export function TriageObservations({ view, act, apply, onGo }: Props) {
  const set = editableSet(view);
  if (set) return <ObservationSetForm key={`${set.setId}:${set.versions.length}:${String(set.isCorrecting)}`} view={view} set={set} act={act} apply={apply} />;
  const latest = [...recordedSets(view)].sort((a, b) => Date.parse(a.version.recordedAt) - Date.parse(b.version.recordedAt)).pop() ?? null;
  return <TriageSetRecorded key={latest ? `${latest.set.setId}:${latest.version.version}` : 'none'} view={view} latest={latest} act={act} onGo={onGo} />;
}

function recordedHeading(latest: RecordedSet | null, view: TriageView): string {
  if (!latest) return view.state === 'finished' ? 'No sets of observations were recorded' : 'Observations';
  if (latest.version.status === 'amended') return `Set ${latest.number} amended`;
  if (latest.version.status === 'entered-in-error') return `Set ${latest.number} marked as entered in error`;
  return `Set ${latest.number} recorded`;
}

type RecordedProps = Readonly<{ view: TriageView; latest: RecordedSet | null; act: TriageAct; onGo: (part: TriagePart) => void }>;

function TriageSetRecorded({ view, latest, act, onGo }: RecordedProps) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);
  const isOpen = view.state === 'in-progress';
  async function addSet() {
    const result = await act(() => client.call('triage.addSet', { triageId: view.triageId }));
    if (!result.ok) setError(result.error.message);
  }
  return (
    <>
      {error ? <ErrorSummary key={error} title="Cannot add a set" errors={[{ text: error }]} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        {recordedHeading(latest, view)}
      </h1>
      {latest ? (
        <>
          <TriageSetTags set={latest.set} />
          <p className="nhsuk-body-l">
            Taken at {shortTime(latest.version.takenAt)} by {latest.set.takenBy.name}; recorded at {shortTime(latest.version.recordedAt)}.
          </p>
          <div className="app-obs-recorded">
            <News2Panel news2={news2For(latest.version.entries, latest.version.spo2Scale)} caption="as recorded" spo2Scale={latest.version.spo2Scale.scale} headingId="news2-recorded-heading" />
          </div>
        </>
      ) : isOpen ? (
        <p className="nhsuk-body-l">No set of observations has been started yet.</p>
      ) : null}
      {!isOpen ? <p className="nhsuk-body-l">This triage is finished. A recorded set can still be corrected from the trend.</p> : null}
      <div className="nhsuk-button-group">
        {isOpen ? (
          <button type="button" className="nhsuk-button app-button-wide" onClick={() => void addSet()}>
            {latest ? 'Add another set' : 'Start a set of observations'}
          </button>
        ) : null}
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={() => onGo('trend')}>
          See the trend
        </button>
        {isOpen ? (
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={() => onGo('disposition')}>
            Go to disposition
          </button>
        ) : null}
      </div>
    </>
  );
}
