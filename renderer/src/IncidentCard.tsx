import { type IncidentSummary } from '../../contract';
import { describeBirth, describeNhsNumber } from './patientText';
import { describePriority } from './priority';
import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

type Props = Readonly<{
  incident: IncidentSummary;
  now: number;
  onOpen: (incident: IncidentSummary) => void;
}>;

/** One assigned incident: what, how urgent, who, and the button that opens the record. */
export function IncidentCard({ incident, now, onOpen }: Props) {
  const headingId = `incident-${incident.incidentId}-heading`;
  const patient = incident.patient;
  const priority = describePriority(incident.priority);
  return (
    <li className="nhsuk-card app-incident" aria-labelledby={headingId}>
      <div className="nhsuk-card__content">
        <div className="app-incident__top">
          <h2 className="nhsuk-card__heading nhsuk-heading-m app-incident__heading" id={headingId}>
            Incident {incident.incidentNumber}
          </h2>
          <strong className={`nhsuk-tag nhsuk-tag--${priority.tone} app-incident__priority`}>
            <span className="nhsuk-u-visually-hidden">Priority: </span>
            {priority.label}
          </strong>
        </div>
        <p className="app-incident__description">{incident.description}</p>
        {patient ? (
          <>
            <dl className="nhsuk-summary-list app-incident__patient">
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Patient</dt>
                <dd className="nhsuk-summary-list__value app-incident__name">{patient.name}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Age</dt>
                <dd className="nhsuk-summary-list__value">{describeBirth(patient, now) ?? 'Not known'}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">NHS number</dt>
                <dd className="nhsuk-summary-list__value app-nhs-number">{describeNhsNumber(patient)}</dd>
              </div>
            </dl>
            <button type="button" className="nhsuk-button app-button-wide app-incident__open" onClick={() => onOpen(incident)}>
              Open record for {patient.name}
            </button>
          </>
        ) : (
          <p className="app-muted">No patient has been linked to this incident yet.</p>
        )}
        <p className="app-freshness">
          Incident details last synced {formatRelativeTime(incident.syncedAt, now)} ({formatAbsoluteTime(incident.syncedAt)})
        </p>
      </div>
    </li>
  );
}
