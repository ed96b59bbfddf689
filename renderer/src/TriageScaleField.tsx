import { useState } from 'react';
import { type Spo2ScaleChoice } from '../../contract';
import { TriageRadios } from './TriageRadios';

type Props = Readonly<{
  value: Spo2ScaleChoice;
  /** Where the record documents an 88–92% target, or null when it does not. */
  fromRecord: string | null;
  error: string | undefined;
  onChange: (value: Spo2ScaleChoice) => void;
  onBlur: () => void;
}>;

const REASON_MAX = 200;

/**
 * SpO2 Scale 1 unless the patient has a documented 88–92% target (RCP NEWS2 2017, Chart 1): the
 * clinician ticks it and says why, or points at where the record documents it.
 */
export function TriageScaleField({ value, fromRecord, error, onChange, onBlur }: Props) {
  const isScale2 = value.scale === 2;
  const [clinicianReason, setClinicianReason] = useState(value.scale === 2 && value.documentedBy === 'clinician' ? value.reason : '');
  const documentedBy = value.scale === 2 ? value.documentedBy : null;
  const byRecord = (): Spo2ScaleChoice => ({ scale: 2, documentedBy: 'record', reason: (fromRecord ?? '').slice(0, REASON_MAX) });
  const byClinician = (reason: string): Spo2ScaleChoice => ({ scale: 2, documentedBy: 'clinician', reason });

  const reasonField = (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor="obs-spo2Scale-reason">
        Why does this patient have an 88–92% target?
      </label>
      <div className="nhsuk-hint" id="obs-spo2Scale-reason-hint">
        For example: COPD with hypercapnic respiratory failure, target on their oxygen alert card.
      </div>
      {error ? (
        <span className="nhsuk-error-message" id="obs-spo2Scale-reason-error">
          <span className="nhsuk-u-visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      <textarea
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id="obs-spo2Scale-reason"
        rows={2}
        maxLength={REASON_MAX}
        aria-describedby={error ? 'obs-spo2Scale-reason-hint obs-spo2Scale-reason-error' : 'obs-spo2Scale-reason-hint'}
        value={clinicianReason}
        onChange={(event) => {
          setClinicianReason(event.target.value);
          onChange(byClinician(event.target.value));
        }}
        onBlur={onBlur}
      />
    </div>
  );

  return (
    <div className="nhsuk-form-group app-scale">
      <fieldset className="nhsuk-fieldset">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">SpO2 scale</legend>
        <p className="app-scale__now">{isScale2 ? 'Scoring on Scale 2 (target 88–92%)' : 'Scoring on Scale 1, for most patients'}</p>
        <div className="nhsuk-checkboxes">
          <div className="nhsuk-checkboxes__item">
            <input
              className="nhsuk-checkboxes__input"
              id="obs-scale2"
              type="checkbox"
              checked={isScale2}
              aria-describedby="obs-scale2-hint"
              onChange={(event) => onChange(event.target.checked ? (fromRecord ? byRecord() : byClinician(clinicianReason)) : { scale: 1 })}
            />
            <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="obs-scale2">
              This patient has a documented SpO2 target of 88–92% (use Scale 2)
            </label>
            <div className="nhsuk-hint nhsuk-checkboxes__hint" id="obs-scale2-hint">
              Only for a documented target, usually hypercapnic respiratory failure.
            </div>
          </div>
        </div>
        {isScale2 ? (
          <div className="nhsuk-checkboxes__conditional app-scale__conditional">
            {fromRecord ? (
              <TriageRadios
                name="obs-scale2-by"
                legend="Where is the 88–92% target documented?"
                value={documentedBy}
                options={[
                  { value: 'record', id: 'obs-scale2-record', label: 'Documented in the record', hint: fromRecord },
                  { value: 'clinician', id: 'obs-scale2-clinician', label: 'I am documenting it now', conditional: reasonField },
                ]}
                onChange={(by) => onChange(by === 'record' ? byRecord() : byClinician(clinicianReason))}
              />
            ) : (
              reasonField
            )}
          </div>
        ) : null}
      </fieldset>
    </div>
  );
}
