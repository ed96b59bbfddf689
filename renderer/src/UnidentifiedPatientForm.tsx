import { useEffect, useState, type FormEvent } from 'react';
import { type IncidentSummary, type TriageView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { TriageRadios } from './TriageRadios';
import { useFocusOnMount } from './hooks';
import { useSummary } from './triageSummary';

type Gender = 'female' | 'male' | 'other' | 'unknown';
type Props = Readonly<{ onStarted: (view: TriageView) => void; onCancel: () => void }>;

const NO_INCIDENT = 'none';
const DESCRIBE = 'Describe the patient, for example what they look like or are wearing';

/**
 * Triage for a patient whose identity is not known yet (issue #12): a few words that tell the
 * crew and the hospital who this is; a local patient is created and linked later.
 */
export function UnidentifiedPatientForm({ onStarted, onCancel }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [description, setDescription] = useState('');
  const [gender, setGender] = useState<Gender>('unknown');
  const [estimatedAge, setEstimatedAge] = useState('');
  const [incidents, setIncidents] = useState<readonly IncidentSummary[]>([]);
  const [incidentId, setIncidentId] = useState<string>(NO_INCIDENT);
  const summary = useSummary(description.trim() === '' ? [DESCRIBE] : []);
  const [isStarting, setIsStarting] = useState(false);

  useEffect(() => {
    void client.call('incidents.list', {}).then((r) => r.ok && setIncidents(r.value.incidents));
  }, [client]);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isStarting) return;
    if (description.trim() === '') return summary.say([{ text: DESCRIBE, fieldId: 'unid-description', isLocal: true }]);
    setIsStarting(true);
    const result = await client.call('triage.startUnidentified', { incidentId: incidentId === NO_INCIDENT ? null : incidentId, description, gender, estimatedAge });
    setIsStarting(false);
    if (!result.ok) return summary.say([{ text: result.error.message, isLocal: false }]);
    onStarted(result.value);
  }

  const descriptionError = summary.items.find((e) => e.fieldId === 'unid-description')?.text;
  return (
    <>
      <button type="button" className="app-back" onClick={onCancel}>
        <span aria-hidden="true">‹</span>Back to incidents
      </button>
      {summary.items.length > 0 ? <ErrorSummary key={summary.attempt} errors={summary.items} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Triage an unidentified patient
      </h1>
      <p className="nhsuk-body-l">A patient record is made on this device for now; it can be linked to their NHS record once you know who they are.</p>
      <form noValidate onSubmit={(event) => void start(event)}>
        <div className={`nhsuk-form-group${descriptionError ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label nhsuk-label--m" htmlFor="unid-description">
            Description
          </label>
          <div className="nhsuk-hint" id="unid-description-hint">
            For example: man in a blue jacket, found at the bus stop on High Street.
          </div>
          {descriptionError ? (
            <span className="nhsuk-error-message" id="unid-description-error">
              <span className="nhsuk-u-visually-hidden">Error: </span>
              {descriptionError}
            </span>
          ) : null}
          <textarea
            className={`nhsuk-textarea${descriptionError ? ' nhsuk-textarea--error' : ''}`}
            id="unid-description"
            rows={2}
            maxLength={200}
            aria-describedby={descriptionError ? 'unid-description-hint unid-description-error' : 'unid-description-hint'}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <TriageRadios<Gender>
          name="unid-gender"
          legend="Sex"
          legendSize="m"
          isInline
          value={gender}
          options={[
            { value: 'female', id: 'unid-gender-female', label: 'Female' },
            { value: 'male', id: 'unid-gender-male', label: 'Male' },
            { value: 'other', id: 'unid-gender-other', label: 'Other' },
            { value: 'unknown', id: 'unid-gender-unknown', label: 'Not known' },
          ]}
          onChange={setGender}
        />
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--m" htmlFor="unid-age">
            Estimated age (optional)
          </label>
          <div className="nhsuk-hint" id="unid-age-hint">
            For example: about 40, or 70s.
          </div>
          <input className="nhsuk-input nhsuk-input--width-10" id="unid-age" type="text" maxLength={40} autoComplete="off" aria-describedby="unid-age-hint" value={estimatedAge} onChange={(event) => setEstimatedAge(event.target.value)} />
        </div>
        {incidents.length > 0 ? (
          <TriageRadios
            name="unid-incident"
            legend="Which incident is this patient part of?"
            legendSize="m"
            value={incidentId}
            options={[
              ...incidents.map((incident) => ({ value: incident.incidentId, id: `unid-incident-${incident.incidentId}`, label: `Incident ${incident.incidentNumber}`, hint: incident.description })),
              { value: NO_INCIDENT, id: 'unid-incident-none', label: 'None of these' },
            ]}
            onChange={setIncidentId}
          />
        ) : null}
        <button type="submit" className="nhsuk-button app-button-wide">
          Start triage
        </button>
      </form>
    </>
  );
}
