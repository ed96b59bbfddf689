import { useEffect, useState, type FormEvent } from 'react';
import { type ActiveCallView, type AccessPurposeInput, type PatientRecordView, type UserSummary } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { type ChosenPatient, PatientFinder } from './PatientFinder';
import { BreakGlassRecord } from './BreakGlassParts';
import { useFocusOnMount } from './hooks';

type Props = Readonly<{
  user: UserSummary;
  call: ActiveCallView | null;
  onCall: (call: ActiveCallView) => void;
  now: number;
}>;

/** The purpose every search and open of this call carries. */
export const purposeOfCall = (call: ActiveCallView): AccessPurposeInput =>
  call.kind === 'call' ? { kind: 'call', callReference: call.reference } : { kind: 'incident', incidentId: call.incidentId ?? call.reference };

/**
 * Issue #13, the 111 workflow: a call handler lands here ("New call"), enters the call reference,
 * then searches under it; a clinical adviser joins a call or incident by reference. "End call" (in
 * the header) clears this screen and main forgets the purpose.
 */
export function CallScreen({ user, call, onCall, now }: Props) {
  const [opened, setOpened] = useState<Readonly<{ record: PatientRecordView; until: string | null }> | null>(null);
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  if (!call) return <StartCall user={user} onCall={onCall} />;
  const purpose = purposeOfCall(call);

  async function open(chosen: ChosenPatient) {
    const result = await client.call('record.openWithPurpose', { patientId: chosen.match.patientId, purpose: chosen.purpose });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setOpened({ record: result.value, until: chosen.breakGlassUntil });
  }

  if (opened) return <FoundRecord record={opened.record} until={opened.until} now={now} onBack={() => setOpened(null)} />;
  return (
    <>
      <SearchHeading call={call} />
      {error ? <ErrorSummary key={error} title="Cannot open this record" errors={[{ text: error }]} /> : null}
      <PatientFinder purpose={purpose} actionLabel="Open record for" onChosen={(chosen) => void open(chosen)} />
    </>
  );
}

function SearchHeading({ call }: Readonly<{ call: ActiveCallView }>) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Find the patient
      </h1>
      <p className="app-call-purpose">
        {call.kind === 'call' ? 'Call' : 'Incident'} <strong>{call.reference}</strong>: every search and record you open is recorded against it.
      </p>
    </>
  );
}

function StartCall({ user, onCall }: Readonly<{ user: UserSummary; onCall: (call: ActiveCallView) => void }>) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const isJoining = user.role === 'clinician';
  const [reference, setReference] = useState('');
  const [format, setFormat] = useState<Readonly<{ pattern: RegExp; hint: string }> | null>(null);
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);

  useEffect(() => {
    void client.call('calls.current', {}).then((r) => {
      if (!r.ok) return;
      if (r.value.call) onCall(r.value.call);
      setFormat({ pattern: new RegExp(r.value.referencePattern), hint: r.value.referenceHint });
    });
  }, [client, onCall]);

  // Checked as typed for a call handler (the configured format); a joining adviser may give an incident number too.
  const trimmed = reference.trim();
  const asTyped = !isJoining && format && trimmed.length >= 4 && !format.pattern.test(trimmed) ? `This is not a call reference in the expected form. ${format.hint}.` : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!trimmed) return setErrors([{ text: isJoining ? 'Enter the call or incident reference' : 'Enter the call reference', fieldId: 'call-reference' }]);
    if (asTyped) return setErrors([{ text: asTyped, fieldId: 'call-reference' }]);
    const result = isJoining ? await client.call('calls.join', { reference: trimmed }) : await client.call('calls.start', { callReference: trimmed });
    if (!result.ok) return setErrors([{ text: result.error.message, fieldId: 'call-reference' }]);
    setErrors([]);
    onCall(result.value);
  }
  const error = asTyped ?? errors[0]?.text ?? null;

  return (
    <>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        {isJoining ? 'Join a call or incident' : 'New call'}
      </h1>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="call-reference">
            {isJoining ? 'Call or incident reference' : 'Call reference'}
          </label>
          <div className="nhsuk-hint" id="call-reference-hint">
            {isJoining ? 'The reference the call handler or crew gave you.' : `${format?.hint ?? 'As shown on the call screen'}.`} It is recorded as the reason for every search.
          </div>
          {error ? (
            <span className="nhsuk-error-message" id="call-reference-error" role="alert">
              <span className="nhsuk-u-visually-hidden">Error:</span> {error}
            </span>
          ) : null}
          <input className={`nhsuk-input nhsuk-input--width-20${error ? ' nhsuk-input--error' : ''}`} id="call-reference" autoComplete="off" spellCheck={false} aria-describedby={`call-reference-hint${error ? ' call-reference-error' : ''}`} value={reference} onChange={(e) => setReference(e.target.value)} />
        </div>
        <button type="submit" className="nhsuk-button app-button-wide">
          {isJoining ? 'Join' : 'Start call'}
        </button>
      </form>
    </>
  );
}

/** A record found in the call: as a break-glass or lookup opening, back to the search. */
export function FoundRecord({ record, until, now, onBack }: Readonly<{ record: PatientRecordView; until: string | null; now: number; onBack: () => void }>) {
  return <BreakGlassRecord record={record} expiresAt={until} now={now} onBack={onBack} backLabel="Back to search" />;
}
