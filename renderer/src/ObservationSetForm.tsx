import { useState } from 'react';
import { type ObservationEntries, type ObservationSetView, type Spo2ScaleChoice, type TriageView } from '../../contract';
import { news2For } from '../../core/triageRules';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { News2Panel } from './News2Panel';
import { TriageCorrectionFields } from './TriageCorrectionFields';
import { TriageObservationFields } from './TriageObservationFields';
import { TriageSaveStatus } from './TriageSaveStatus';
import { TriageSetActions } from './TriageSetActions';
import { TriageSetTags } from './TriageSetTags';
import { useFocusOnMount } from './hooks';
import { useAutosave } from './triageAutosave';
import { takenAtCheck, type CorrectionDraft } from './triageChecks';
import { keepSecondsIfSameMinute, toDatetimeLocal } from './triageDates';
import { setProblems } from './triageSetProblems';
import { useSummary } from './triageSummary';
import { setNumber, type TriageAct } from './triageView';

type Props = Readonly<{ view: TriageView; set: ObservationSetView; act: TriageAct; apply: (view: TriageView) => void }>;

type Draft = Readonly<{ entries: ObservationEntries; spo2Scale: Spo2ScaleChoice; takenAt: string; correction: CorrectionDraft }>;

const NOT_SAVED = 'Your entries are not saved yet, so this set cannot be recorded. They are still on screen; try again in a moment.';

/**
 * One set of observations (issue #12): saved as entered, scored live, recorded when the crew
 * says so. The inputs are this form's own state; answers from main update the rest of the
 * screen but never what is being typed.
 */
export function ObservationSetForm({ view, set, act, apply }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const number = setNumber(view, set.setId);
  const autosave = useAutosave<Draft>({
    initial: { entries: set.entries, spo2Scale: set.spo2Scale, takenAt: set.takenAt, correction: set.correctionDraft ?? { status: null, reason: '' } },
    initialSavedAt: set.savedAt,
    // The correction's kind and reason are saved as typed too: a crash loses none of it.
    save: (d) =>
      client.call('triage.saveSet', { triageId: view.triageId, setId: set.setId, takenAt: d.takenAt, entries: d.entries, spo2Scale: d.spo2Scale, correction: set.isCorrecting ? d.correction : null }),
    onSaved: apply,
    savedAtOf: (v) => v.sets.find((s) => s.setId === set.setId)?.savedAt ?? null,
  });
  const { entries, spo2Scale, correction } = autosave.value;
  const setCorrection = (next: CorrectionDraft) => autosave.change((d) => ({ ...d, correction: next }));
  const [takenAtText, setTakenAtText] = useState(() => toDatetimeLocal(set.takenAt));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [isAttempted, setIsAttempted] = useState(false);
  const problems = setProblems({ entries, spo2Scale, takenAtText, nowMs: Date.now(), isAttempted, touched, correction: set.isCorrecting ? correction : null });
  const summary = useSummary(problems.blocking.map((b) => b.text));
  const errorFor = (field: string): string | undefined => problems.atFields.find((p) => p.field === field)?.message;

  const leave = (field: string) => {
    setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));
    void autosave.flush();
  };

  async function record() {
    const isSaved = await autosave.flush();
    setIsAttempted(true);
    if (problems.blocking.length > 0) return summary.say(problems.blocking);
    if (!isSaved) return summary.say([{ text: NOT_SAVED, isLocal: false }]);
    const payload = set.isCorrecting && correction.status ? { status: correction.status, reason: correction.reason } : null;
    const result = await act(() => client.call('triage.recordSet', { triageId: view.triageId, setId: set.setId, correction: payload }));
    if (!result.ok) summary.say([{ text: result.error.message, isLocal: false }]);
  }

  /** Drops a draft never recorded, or abandons a correction (the recorded version stands). */
  async function discard() {
    const result = await act(() => client.call('triage.discardDraft', { triageId: view.triageId, setId: set.setId }));
    if (!result.ok) summary.say([{ text: result.error.message, isLocal: false }]);
  }

  return (
    <>
      {summary.items.length > 0 ? <ErrorSummary key={summary.attempt} errors={summary.items} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        {set.isCorrecting ? `Correct set ${number}` : `Set ${number} of observations`}
      </h1>
      <TriageSetTags set={set} />
      <TriageSaveStatus status={autosave.status} onRetry={() => void autosave.flush()} />
      <div className="app-obs-layout">
        <form
          className="app-obs-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void record();
          }}
        >
          <TriageObservationFields
            entries={entries}
            spo2Scale={spo2Scale}
            takenAtText={takenAtText}
            takenBy={set.takenBy.name}
            scale2FromRecord={view.scale2FromRecord}
            errorFor={errorFor}
            onEntry={(key, value) => autosave.change((d) => ({ ...d, entries: { ...d.entries, [key]: value } }))}
            onScale={(scale) => autosave.change((d) => ({ ...d, spo2Scale: scale }))}
            onTakenAt={(text) => {
              setTakenAtText(text);
              const { iso } = takenAtCheck(text, Date.now());
              if (iso) autosave.change((d) => ({ ...d, takenAt: keepSecondsIfSameMinute(d.takenAt, iso) }));
            }}
            onLeave={leave}
          />
          {set.isCorrecting ? <TriageCorrectionFields draft={correction} errors={isAttempted ? problems.blocking : []} onChange={setCorrection} /> : null}
          <TriageSetActions number={number} isCorrecting={set.isCorrecting} isDraft={set.status === 'draft'} onDiscard={() => void discard()} />
        </form>
        <div className="app-obs-score">
          <News2Panel news2={news2For(entries, spo2Scale)} caption="live, as entered" spo2Scale={spo2Scale.scale} headingId="news2-live-heading" />
        </div>
      </div>
    </>
  );
}
