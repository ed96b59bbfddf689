import { type PatientRecordView } from '../../contract';
import { ConditionsSection, MedicationsSection } from './RecordClinical';
import { RecordClockProvider } from './RecordClock';
import { FormsSection } from './RecordForms';
import { DocumentsSection, EventsSection } from './RecordHistory';
import { DeceasedBanner, WithheldNotice } from './RecordNotices';
import { CommunicationNeeds, ContactsSection, PatientDetails } from './RecordPeople';
import { type ContributeAs } from './CarePlanContributionForm';
import { CarePlansSection } from './RecordCarePlans';
import { AlertsSection, AllergiesSection } from './RecordSections';
import { ResuscitationPanel } from './ResuscitationPanel';

type Props = Readonly<{
  record: PatientRecordView;
  /** The renderer's clock (useNow): "may have changed" is recomputed from it, so it turns on by itself. */
  now: number;
  /** The last time a sync reached the central record (sync status lastSuccessAt), for "no signal since 02:10". */
  lastContactAt?: string | null;
  /** The central record is unreachable now. */
  isSyncOffline?: boolean;
  /** Issue #14: offer "Add to this plan" on current care plans, for this patient and incident. */
  contributeAs?: ContributeAs;
}>;

/**
 * The record itself, safety first: whether the patient has died, restricted information, the
 * resuscitation decision, alerts and allergies, communication needs, care plans, medicines and
 * conditions, then the people to contact, forms, documents and history. One layout for every way
 * a record is opened.
 */
export function RecordBody({ record, now, lastContactAt = null, isSyncOffline = false, contributeAs }: Props) {
  const clock = { now, staleAfterMs: record.staleAfterMs, connection: { isOffline: isSyncOffline || record.isOffline, lastContactAt } };
  return (
    <RecordClockProvider clock={clock}>
      <div className="app-record">
        <DeceasedBanner record={record} />
        <WithheldNotice record={record} />
        <ResuscitationPanel resuscitation={record.resuscitation} recordSyncedAt={record.syncedAt} />
        <div className="app-record__pair">
          <AlertsSection record={record} />
          <AllergiesSection record={record} />
        </div>
        <CommunicationNeeds record={record} />
        <CarePlansSection record={record} contributeAs={contributeAs} />
        <div className="app-record__pair">
          <MedicationsSection record={record} />
          <ConditionsSection record={record} />
        </div>
        <ContactsSection record={record} />
        <FormsSection record={record} />
        <DocumentsSection record={record} />
        <div className="app-record__pair">
          <EventsSection record={record} kind="encounters" />
          <EventsSection record={record} kind="procedures" />
        </div>
        <EventsSection record={record} kind="immunizations" />
        <PatientDetails record={record} />
      </div>
    </RecordClockProvider>
  );
}
