import { type ErrorItem } from './ErrorSummary';
import { TriageRadios } from './TriageRadios';
import { type CorrectionDraft, type CorrectionStatus } from './triageChecks';

const REASON_MAX = 500;

type Props = Readonly<{ draft: CorrectionDraft; errors: readonly ErrorItem[]; onChange: (draft: CorrectionDraft) => void }>;

/**
 * A recorded set is never silently changed (DESIGN §9): the correction says what kind it is and
 * why, and becomes a new version beside the old one.
 */
export function TriageCorrectionFields({ draft, errors, onChange }: Props) {
  const statusError = errors.find((e) => e.fieldId === 'corr-status-amended')?.text;
  const reasonError = errors.find((e) => e.fieldId === 'corr-reason')?.text;
  return (
    <div className="app-correction">
      <TriageRadios<CorrectionStatus>
        name="corr-status"
        legend="What kind of correction is this?"
        legendSize="m"
        value={draft.status}
        error={statusError}
        options={[
          { value: 'amended', id: 'corr-status-amended', label: 'Amended', hint: 'One or more values were wrong; the corrected set replaces it in the trend.' },
          { value: 'entered-in-error', id: 'corr-status-entered-in-error', label: 'Entered in error', hint: 'This set should not have been recorded (for example, the wrong patient).' },
        ]}
        onChange={(status) => onChange({ ...draft, status })}
      />
      <div className={`nhsuk-form-group${reasonError ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor="corr-reason">
          Reason for the correction
        </label>
        {reasonError ? (
          <span className="nhsuk-error-message" id="corr-reason-error">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {reasonError}
          </span>
        ) : null}
        <textarea
          className={`nhsuk-textarea${reasonError ? ' nhsuk-textarea--error' : ''}`}
          id="corr-reason"
          rows={2}
          maxLength={REASON_MAX}
          aria-describedby={reasonError ? 'corr-reason-error' : undefined}
          value={draft.reason}
          onChange={(event) => onChange({ ...draft, reason: event.target.value })}
        />
      </div>
    </div>
  );
}
