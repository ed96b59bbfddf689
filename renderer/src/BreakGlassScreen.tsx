import { useState, type FormEvent } from 'react';
import { type PatientLookupView, type PatientRecordView, type UserSummary } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { BreakGlassReasonForm, BreakGlassRecord } from './BreakGlassParts';
import { useFocusOnMount } from './hooks';

type Props = Readonly<{ user: UserSummary; now: number; onBack: () => void }>;

type Step =
  | Readonly<{ kind: 'search' }>
  | Readonly<{ kind: 'reason'; patient: PatientLookupView }>
  | Readonly<{ kind: 'record'; record: PatientRecordView; expiresAt: string | null }>;

/**
 * Finding a patient who is not on your incidents (issue #4): look up by NHS number; open them
 * when your role and purpose allow, otherwise break the glass with a typed reason — recorded,
 * time-limited and flagged for review, and it works offline because main decides on the device.
 */
export function BreakGlassScreen({ user, now, onBack }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const needsCallReference = user.role === 'call-handler' || user.role === 'clinician';
  const [nhsNumber, setNhsNumber] = useState('');
  const [callReference, setCallReference] = useState('');
  const [results, setResults] = useState<readonly PatientLookupView[] | null>(null);
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'search' });
  const purpose = callReference ? ({ kind: 'call', callReference } as const) : null;

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const digits = nhsNumber.replace(/\s+/g, '');
    if (!/^\d{10}$/.test(digits)) return setErrors([{ text: 'Enter a 10-digit NHS number', fieldId: 'lookup-nhs' }]);
    const result = await client.call('patients.lookup', { nhsNumber: digits, purpose });
    if (!result.ok) return setErrors([{ text: result.error.message, fieldId: 'lookup-nhs' }]);
    setErrors([]);
    setResults(result.value.patients);
  }

  async function open(patient: PatientLookupView, expiresAt: string | null) {
    const how = patient.needsBreakGlass || !purpose ? ({ kind: 'break-glass' } as const) : purpose;
    const result = await client.call('record.openWithPurpose', { patientId: patient.patientId, purpose: how });
    if (!result.ok) return setErrors([{ text: result.error.message, fieldId: 'lookup-nhs' }]);
    setStep({ kind: 'record', record: result.value, expiresAt });
  }

  if (step.kind === 'record') return <BreakGlassRecord record={step.record} expiresAt={step.expiresAt} now={now} onBack={onBack} />;
  if (step.kind === 'reason') {
    return (
      <BreakGlassReasonForm
        patient={step.patient}
        onCancel={() => setStep({ kind: 'search' })}
        onGranted={(expiresAt) => void open(step.patient, expiresAt)}
      />
    );
  }
  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>Back to incidents
      </button>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Find a patient by NHS number
      </h1>
      <form noValidate onSubmit={(event) => void search(event)}>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--s" htmlFor="lookup-nhs">
            NHS number
          </label>
          <input className="nhsuk-input nhsuk-input--width-10" id="lookup-nhs" inputMode="numeric" autoComplete="off" value={nhsNumber} onChange={(e) => setNhsNumber(e.target.value)} />
        </div>
        {needsCallReference ? (
          <div className="nhsuk-form-group">
            <label className="nhsuk-label nhsuk-label--s" htmlFor="lookup-call">
              Call reference
            </label>
            <div className="nhsuk-hint" id="lookup-call-hint">The call this is for. It is recorded as the reason you looked.</div>
            <input className="nhsuk-input nhsuk-input--width-20" id="lookup-call" aria-describedby="lookup-call-hint" autoComplete="off" value={callReference} onChange={(e) => setCallReference(e.target.value)} />
          </div>
        ) : null}
        <button type="submit" className="nhsuk-button app-button-wide">
          Find patient
        </button>
      </form>
      {results !== null && results.length === 0 ? <p role="status">No patient with that NHS number is on this device.</p> : null}
      {results && results.length > 0 ? (
        <ul className="nhsuk-list" aria-label="Patients found">
          {results.map((patient) => (
            <li key={patient.patientId} className="app-item">
              <p className="app-item__title">
                {patient.name}
                {patient.birthDate ? ` · born ${patient.birthDate}` : ''}
              </p>
              {patient.needsBreakGlass ? (
                <button type="button" className="nhsuk-button nhsuk-button--warning app-button-wide" onClick={() => setStep({ kind: 'reason', patient })}>
                  Emergency access to {patient.name}
                </button>
              ) : (
                <button type="button" className="nhsuk-button app-button-wide" onClick={() => void open(patient, null)}>
                  Open record for {patient.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
