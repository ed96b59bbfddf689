import { type PatientRecordView } from '../../contract';
import { AlertsSection, AllergiesSection, CarePlansSection, ListSection } from './RecordSections';
import { ResuscitationPanel } from './ResuscitationPanel';
import { capitalise } from './textCompare';

/** The record itself, resuscitation decision first: one layout for every way a record is opened. */
export function RecordBody({ record, now }: Readonly<{ record: PatientRecordView; now: number }>) {
  return (
    <div className="app-record">
      <ResuscitationPanel resuscitation={record.resuscitation} recordSyncedAt={record.syncedAt} now={now} />
      <div className="app-record__pair">
        <AlertsSection alerts={record.alerts} now={now} />
        <AllergiesSection allergies={record.allergies} now={now} />
      </div>
      <CarePlansSection carePlans={record.carePlans} now={now} />
      <div className="app-record__pair">
        <ListSection id="medications" title="Medications" what="medications" items={record.medications} now={now} />
        <ListSection id="conditions" title="Conditions" what="conditions" items={record.conditions} now={now} />
      </div>
      <section className="app-section" aria-labelledby="details-heading">
        <h2 className="nhsuk-heading-m app-section__heading" id="details-heading">
          Patient details
        </h2>
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Gender</dt>
            <dd className="nhsuk-summary-list__value">{record.patient.gender ? capitalise(record.patient.gender) : 'Not recorded'}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Address</dt>
            <dd className="nhsuk-summary-list__value">{record.patient.address ?? 'Not recorded'}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
