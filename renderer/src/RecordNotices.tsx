import { type PatientRecordView } from '../../contract';
import { deathText } from './patientText';

type RecordProps = Readonly<{ record: PatientRecordView }>;

/** Shown first when the record says the patient has died: it changes everything below. */
export function DeceasedBanner({ record }: RecordProps) {
  const text = deathText(record.patient);
  if (!text) return null;
  return (
    <div className="app-deceased" role="note" aria-label="Recorded as deceased">
      <p className="app-deceased__title">Recorded as deceased</p>
      <p>{text}. Check the patient and the scene: the record may be wrong or out of date.</p>
    </div>
  );
}

const WITHHELD_WHY: Readonly<Record<NonNullable<PatientRecordView['withheld']>['reason'], string>> = {
  restricted: 'Some of this patient’s information is restricted and is not shown on this device.',
  'sharing-objection': 'This patient has objected to sharing their record, so only their details are shown on this device.',
};

/** Restricted information exists: said plainly, with who to contact, never as "none recorded". */
export function WithheldNotice({ record }: RecordProps) {
  const withheld = record.withheld;
  if (!withheld) return null;
  return (
    <div className="nhsuk-warning-callout app-withheld">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Restricted information
        </span>
      </h2>
      <p>{WITHHELD_WHY[withheld.reason]}</p>
      {withheld.types.length ? <p>It may include: {withheld.types.join(', ')}.</p> : null}
      <p>{withheld.contact}.</p>
    </div>
  );
}
