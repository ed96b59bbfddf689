import { type PatientMatchView, type PatientSearchResultView } from '../../contract';
import { formatNhsNumber } from '../../core/nhsNumber';

/** "13 February 1938" for a full date; a partial FHIR date ("1938", "1938-02") as recorded. */
const birthDateText = (date: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : date;

type Props = Readonly<{ result: PatientSearchResultView; actionLabel: string; onChoose: (match: PatientMatchView) => void }>;

const CENTRAL_TEXT: Readonly<Record<PatientSearchResultView['central']['state'], string>> = {
  searched: 'This device and the shared care record were searched.',
  offline: 'No signal: only this device’s records were searched.',
  failed: 'Only this device’s records were searched.',
  'not-asked': 'Only this device’s records were searched.',
};

/**
 * Issue #13: matches, most fields matched first, each saying why it matched. Until the purpose
 * allows opening, only name, age, partial address and the match reason are shown.
 */
export function SearchResults({ result, actionLabel, onChoose }: Props) {
  const { matches, central } = result;
  return (
    <section aria-labelledby="search-results-heading" className="app-search-results">
      <h2 className="nhsuk-heading-m" id="search-results-heading">
        {matches.length === 0 ? 'No patients found' : `${matches.length} ${matches.length === 1 ? 'patient' : 'patients'} found`}
      </h2>
      <p role="status">
        {CENTRAL_TEXT[central.state]} {central.state === 'failed' ? central.message : ''}
        {result.isTruncated ? ' More patients match than are shown: add more details to narrow the search.' : ''}
      </p>
      {matches.length > 0 ? (
        <ul className="nhsuk-list" aria-label="Patients found">
          {matches.map((m) => (
            <li key={m.patientId} className="app-item app-search-result">
              <p className="app-item__title">
                {m.name}
                {!m.isIdentityVerified ? <strong className="nhsuk-tag nhsuk-tag--orange app-item__tag"> Identity not verified</strong> : null}
                {!m.isOnDevice ? <strong className="nhsuk-tag nhsuk-tag--grey app-item__tag"> Not on this device yet</strong> : null}
              </p>
              <p className="app-search-result__facts">
                {m.age}
                {m.partialAddress ? ` · ${m.partialAddress}` : ''}
              </p>
              <p className="app-search-result__why">Matched on: {m.matchReasons.join(', ')}</p>
              {m.details ? (
                <dl className="nhsuk-summary-list app-search-result__details">
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">NHS number</dt>
                    <dd className="nhsuk-summary-list__value">{m.details.nhsNumber ? <span className="app-nhs-number">{formatNhsNumber(m.details.nhsNumber)}</span> : 'No NHS number'}</dd>
                  </div>
                  {m.details.otherIdentifiers.map((i) => (
                    <div className="nhsuk-summary-list__row" key={`${i.label}:${i.value}`}>
                      <dt className="nhsuk-summary-list__key">{i.label}</dt>
                      <dd className="nhsuk-summary-list__value">{i.value}</dd>
                    </div>
                  ))}
                  {m.details.birthDate ? (
                    <div className="nhsuk-summary-list__row">
                      <dt className="nhsuk-summary-list__key">Date of birth</dt>
                      <dd className="nhsuk-summary-list__value">{birthDateText(m.details.birthDate)}</dd>
                    </div>
                  ) : null}
                  {m.details.cachedBecause.length > 0 ? (
                    <div className="nhsuk-summary-list__row">
                      <dt className="nhsuk-summary-list__key">On this device because</dt>
                      <dd className="nhsuk-summary-list__value">{m.details.cachedBecause.join('; ')}</dd>
                    </div>
                  ) : null}
                </dl>
              ) : null}
              <button type="button" className={`nhsuk-button app-button-wide${m.needsBreakGlass ? ' nhsuk-button--warning' : ''}`} onClick={() => onChoose(m)}>
                {m.needsBreakGlass ? `Emergency access to ${m.name}` : `${actionLabel} ${m.name}`}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
