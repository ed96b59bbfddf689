import { useState } from 'react';
import { type EntryProblem, type TriageView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { useSummary } from './triageSummary';
import { type TriageAct } from './triageView';

type Props = Readonly<{
  view: TriageView;
  act: TriageAct;
  /** Saves what is still being typed first; false when that save failed. */
  beforeFinish: () => Promise<boolean>;
  /** The disposition's problems as they stand, to say what to fix if main refuses. */
  problems: () => readonly EntryProblem[];
  /** On the disposition screen the messages link to their fields. */
  linkToFields: boolean;
  onRefused?: () => void;
  onGoToDisposition?: () => void;
}>;

const DISPOSITION_FIELD_IDS: Readonly<Record<string, string>> = {
  outcome: 'disp-outcome-conveyed',
  destination: 'disp-destination',
  referredTo: 'disp-referredTo-gp',
  roleAt: 'disp-roleAt',
  notes: 'disp-notes',
};

/**
 * Finishing queues the encounter, disposition and handover for the central record; main refuses
 * while the disposition is incomplete, and the crew is told exactly what is missing.
 */
export function TriageFinish({ view, act, beforeFinish, problems, linkToFields, onRefused, onGoToDisposition }: Props) {
  const client = useClient();
  const summary = useSummary(problems().map((p) => p.message));
  const [isFinishing, setIsFinishing] = useState(false);
  if (view.state === 'finished') return null;

  async function finish() {
    if (isFinishing) return;
    setIsFinishing(true);
    const saved = await beforeFinish();
    const result = saved ? await act(() => client.call('triage.finish', { triageId: view.triageId })) : null;
    setIsFinishing(false);
    if (result?.ok) return summary.say([]);
    // The disposition's own problems, linked to their fields, say it best; otherwise main's reason.
    const local = problems().map((p) => ({ text: p.message, isLocal: true, ...(linkToFields && DISPOSITION_FIELD_IDS[p.field] ? { fieldId: DISPOSITION_FIELD_IDS[p.field] } : {}) }));
    const why = result ? result.error.message : 'What you entered is not saved yet, so the triage cannot be finished. Try again in a moment.';
    summary.say(local.length > 0 ? local : [{ text: why, isLocal: false }]);
    onRefused?.();
  }

  return (
    <section className="app-finish app-no-print" aria-labelledby="finish-heading">
      <h2 className="nhsuk-heading-m" id="finish-heading">
        Finish triage
      </h2>
      {summary.items.length > 0 ? <ErrorSummary key={summary.attempt} title="The triage is not finished" errors={summary.items} /> : null}
      <p className="nhsuk-body">
        Finishing sends the encounter, the disposition and the handover to the shared care record when there is signal. After that, only
        corrections of recorded sets can be made.
      </p>
      <div className="nhsuk-button-group">
        <button type="button" className="nhsuk-button app-button-wide" onClick={() => void finish()}>
          Finish triage
        </button>
        {summary.items.length > 0 && onGoToDisposition ? (
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={onGoToDisposition}>
            Go to disposition
          </button>
        ) : null}
      </div>
    </section>
  );
}
