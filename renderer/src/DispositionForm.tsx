import { useState } from 'react';
import { type Disposition, type TriageView } from '../../contract';
import { dispositionProblems } from '../../core/triageRules';
import { useClient } from './ClientContext';
import { TriageChecks } from './TriageChecks';
import { TriageDispositionSummary } from './TriageDispositionSummary';
import { FieldError } from './TriageFieldParts';
import { TriageFinish } from './TriageFinish';
import { TriageOutcomeFields } from './TriageOutcomeFields';
import { TriageSaveStatus } from './TriageSaveStatus';
import { useFocusOnMount } from './hooks';
import { useAutosave } from './triageAutosave';
import { type TriageAct } from './triageView';

type Props = Readonly<{ view: TriageView; act: TriageAct; apply: (view: TriageView) => void }>;

const isEmptyDisposition = (d: Disposition): boolean => d.outcome === null && d.destination === '' && d.referredTo === null && d.roleAt === null && d.notes === '';

/**
 * Where the patient goes (issue #12), saved as entered. The checks against the resuscitation
 * decision and care plans come from main and are shown first, warnings before information.
 */
export function DispositionForm({ view, act, apply }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const autosave = useAutosave<Disposition>({
    initial: view.disposition,
    initialSavedAt: isEmptyDisposition(view.disposition) ? null : view.updatedAt,
    save: (disposition) => client.call('triage.saveDisposition', { triageId: view.triageId, disposition }),
    onSaved: apply,
    savedAtOf: (v) => v.updatedAt,
  });
  const value = autosave.value;
  const [isShowingProblems, setIsShowingProblems] = useState(false);
  const problems = isShowingProblems ? dispositionProblems(value) : [];
  const errorFor = (field: string) => problems.find((p) => p.field === field)?.message;
  const flush = () => void autosave.flush();

  const heading = (
    <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
      Disposition
    </h1>
  );
  if (view.state === 'finished') {
    return (
      <>
        {heading}
        <TriageChecks checks={view.checks} />
        <TriageDispositionSummary disposition={view.disposition} />
      </>
    );
  }
  return (
    <>
      {heading}
      <TriageSaveStatus status={autosave.status} onRetry={flush} />
      <TriageChecks checks={view.checks} />
      <form className="app-disposition" noValidate onSubmit={(event) => event.preventDefault()}>
        <TriageOutcomeFields value={value} errorFor={errorFor} onChange={(patch) => autosave.change((d) => ({ ...d, ...patch }))} onLeave={flush} />
        <div className={`nhsuk-form-group${errorFor('notes') ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="disp-notes">
            Notes
          </label>
          <FieldError id="disp-notes-error" text={errorFor('notes')} />
          <textarea className="nhsuk-textarea" id="disp-notes" rows={4} maxLength={2000} value={value.notes} onChange={(event) => autosave.change((d) => ({ ...d, notes: event.target.value }))} onBlur={flush} />
        </div>
      </form>
      <TriageFinish view={view} act={act} beforeFinish={autosave.flush} problems={() => dispositionProblems(value)} linkToFields onRefused={() => setIsShowingProblems(true)} />
    </>
  );
}
