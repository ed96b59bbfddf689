import { useEffect, useState, type FormEvent } from 'react';
import { type PatientLookupView, type PatientRecordView } from '../../contract';
import { BREAK_GLASS_REASONS, BREAK_GLASS_REASON_LABELS, BREAK_GLASS_TEXT_MIN, type BreakGlassReason } from '../../core/accessBreakGlass';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { RecordBody } from './RecordBody';
import { useFocusOnMount } from './hooks';

type ReasonProps = Readonly<{ patient: PatientLookupView; onCancel: () => void; onGranted: (expiresAt: string) => void }>;

/** The typed reason for break-glass, with what will happen said before it happens. */
export function BreakGlassReasonForm({ patient, onCancel, onGranted }: ReasonProps) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [reason, setReason] = useState<BreakGlassReason | ''>('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const [minutes, setMinutes] = useState<number | null>(null);

  useEffect(() => {
    void client.call('session.policy', {}).then((r) => r.ok && setMinutes(r.value.breakGlassMinutes));
  }, [client]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: ErrorItem[] = [];
    if (!reason) found.push({ text: 'Choose why you need this record', fieldId: 'bg-reason-0' });
    if (text.trim().length < BREAK_GLASS_TEXT_MIN) found.push({ text: `Explain why in your own words (at least ${BREAK_GLASS_TEXT_MIN} characters)`, fieldId: 'bg-text' });
    setErrors(found);
    if (found.length > 0 || !reason) return;
    const result = await client.call('access.breakGlass', { patientId: patient.patientId, reason, reasonText: text });
    if (!result.ok) return setErrors([{ text: result.error.message, fieldId: 'bg-text' }]);
    onGranted(result.value.expiresAt);
  }

  return (
    <>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Emergency access
      </h1>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">This is recorded and reviewed</span>
        </h2>
        <p>
          {patient.name} is not on an incident assigned to you. If you continue, your name, the time and your reason are recorded and
          flagged for review by the privacy officer. Access lasts {minutes ?? '…'} minutes.
        </p>
      </div>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <div className="nhsuk-form-group">
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Why do you need this record?</legend>
            <div className="nhsuk-radios">
              {BREAK_GLASS_REASONS.map((code, index) => (
                <div className="nhsuk-radios__item" key={code}>
                  <input className="nhsuk-radios__input" id={`bg-reason-${index}`} name="bg-reason" type="radio" checked={reason === code} onChange={() => setReason(code)} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`bg-reason-${index}`}>
                    {BREAK_GLASS_REASON_LABELS[code]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--s" htmlFor="bg-text">
            Explain in your own words
          </label>
          <textarea className="nhsuk-textarea" id="bg-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="nhsuk-button nhsuk-button--warning app-button-wide">
          Open record with emergency access
        </button>{' '}
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={onCancel}>
          Cancel
        </button>
      </form>
    </>
  );
}

type RecordProps = Readonly<{ record: PatientRecordView; expiresAt: string | null; now: number; onBack: () => void; backLabel?: string }>;

/** A record opened by lookup or break-glass: safety first, and the access's end time in view. */
export function BreakGlassRecord({ record, expiresAt, now, onBack, backLabel = 'Back to incidents' }: RecordProps) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>
        {backLabel}
      </button>
      {expiresAt ? (
        <div className="app-notice" role="status">
          <p>Emergency access until {new Date(expiresAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}. This access is flagged for review.</p>
        </div>
      ) : null}
      <h1 className="nhsuk-heading-l app-screen-heading app-patient-name" ref={headingRef} tabIndex={-1}>
        {record.patient.name}
      </h1>
      <RecordBody record={record} now={now} />
    </>
  );
}
