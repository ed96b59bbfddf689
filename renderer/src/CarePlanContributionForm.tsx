import { useState } from 'react';
import { type CarePlanView } from '../../contract';
import { type ContributionKind, type PlanOutcome } from '../../core/carePlanContribution';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { TriageRadios } from './TriageRadios';

/** Who is adding, and for which incident: the purpose main checks (null: break-glass). */
export type ContributeAs = Readonly<{ patientId: string; incidentId: string | null }>;

type Props = Readonly<{ plan: CarePlanView; contributeAs: ContributeAs; onDone: (message: string | null) => void }>;

const MAX_TEXT = 2000;

/** The form's own checks, in the words the error summary shows; each names its field. */
export function contributionProblems(kind: ContributionKind | null, outcome: PlanOutcome | null, text: string): ErrorItem[] {
  if (kind === null) return [{ text: 'Choose what you want to add to the plan', fieldId: 'contribution-kind-plan-used' }];
  const problems: ErrorItem[] = [];
  if (kind === 'plan-used' && outcome === null) problems.push({ text: 'Say whether the plan was followed', fieldId: 'contribution-outcome-followed' });
  if (kind !== 'plan-used' && text.trim() === '') problems.push({ text: 'Enter what you want to add to the plan', fieldId: 'contribution-text' });
  if (text.length > MAX_TEXT) problems.push({ text: `Keep it to ${MAX_TEXT} characters or fewer`, fieldId: 'contribution-text' });
  return problems;
}

const errorFor = (problems: readonly ErrorItem[], fieldPrefix: string) => problems.find((p) => p.fieldId?.startsWith(fieldPrefix))?.text;

/**
 * Adding to a care plan across organisations (issue #14): the plan was used and whether it was
 * followed, information for future crews, or a note for the plan's owner. Saved on this device at
 * once; the answer says it waits to upload, because it does until the next sync.
 */
export function CarePlanContributionForm({ plan, contributeAs, onDone }: Props) {
  const client = useClient();
  const [kind, setKind] = useState<ContributionKind | null>(null);
  const [outcome, setOutcome] = useState<PlanOutcome | null>(null);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<readonly ErrorItem[]>([]);
  const [isSaving, setIsSaving] = useState(false);

  async function save() {
    const found = contributionProblems(kind, outcome, text);
    setProblems(found);
    if (found.length > 0 || kind === null || isSaving) return;
    setIsSaving(true);
    const result = await client.call('careplans.contribute', { ...contributeAs, carePlanId: plan.id, kind, outcome: kind === 'plan-used' ? outcome : null, text: text.trim() });
    setIsSaving(false);
    if (!result.ok) {
      setProblems([{ text: result.error.message }]);
      return;
    }
    const at = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
    onDone(`Saved on this device at ${at}. It is waiting to upload and will reach the shared care record at the next sync.`);
  }

  const outcomeQuestion = (
    <TriageRadios
      name="contribution-outcome"
      legend="Was the plan followed?"
      options={[
        { value: 'followed', label: 'Followed', id: 'contribution-outcome-followed' },
        { value: 'partly-followed', label: 'Partly followed', id: 'contribution-outcome-partly' },
        { value: 'not-followed', label: 'Not followed', id: 'contribution-outcome-not' },
      ]}
      value={outcome}
      error={errorFor(problems, 'contribution-outcome')}
      onChange={setOutcome}
    />
  );
  const textLabel = kind === 'plan-used' ? 'What happened (optional)' : 'What to add';
  return (
    <form className="app-contribution-form" aria-label={`Add to this plan: ${plan.title}`} noValidate onSubmit={(event) => { event.preventDefault(); void save(); }}>
      {problems.length > 0 ? <ErrorSummary errors={problems} /> : null}
      <TriageRadios
        name="contribution-kind"
        legend="What do you want to add?"
        options={[
          { value: 'plan-used', label: 'The plan was used at this incident', id: 'contribution-kind-plan-used', conditional: outcomeQuestion },
          { value: 'crew-information', label: 'Information for future crews', hint: 'For example a key safe, a changed contact or what helped. It is added to the plan itself.', id: 'contribution-kind-crew' },
          { value: 'note-for-owner', label: 'A note for the plan’s owner', hint: plan.author ? `For ${plan.author}.` : 'For the team that wrote the plan.', id: 'contribution-kind-owner' },
        ]}
        value={kind}
        error={errorFor(problems, 'contribution-kind')}
        onChange={setKind}
      />
      <div className={`nhsuk-form-group${errorFor(problems, 'contribution-text') ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label" htmlFor="contribution-text">{textLabel}</label>
        {errorFor(problems, 'contribution-text') ? (
          <span className="nhsuk-error-message" id="contribution-text-error">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {errorFor(problems, 'contribution-text')}
          </span>
        ) : null}
        <textarea
          className="nhsuk-textarea"
          id="contribution-text"
          rows={4}
          maxLength={MAX_TEXT}
          value={text}
          aria-describedby={errorFor(problems, 'contribution-text') ? 'contribution-text-error' : undefined}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="app-button-row">
        <button type="submit" className="nhsuk-button" disabled={isSaving}>
          {isSaving ? 'Saving…' : 'Save to this plan'}
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
