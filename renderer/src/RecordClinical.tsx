import { type ConditionView, type MedicationView, type PatientRecordView } from '../../contract';
import { ItemSource } from './Freshness';
import { Marker, PastItems, Section, SectionState } from './RecordParts';
import { SECTION_WORDS, formatWhen, statusLabel, verificationLabel } from './recordText';

type RecordProps = Readonly<{ record: PatientRecordView }>;

const KIND: Readonly<Record<MedicationView['recordKind'], string>> = { prescription: 'Prescribed', statement: 'Recorded as taken' };

function MedicationItem({ medication }: Readonly<{ medication: MedicationView }>) {
  // authoredOn is also the provenance date: said once.
  const since = medication.since && medication.since !== medication.source.at ? medication.since : null;
  const dates = [since ? `since ${formatWhen(since)}` : null, medication.until ? `until ${formatWhen(medication.until)}` : null].filter(Boolean).join(' ');
  return (
    <li className={`app-item${medication.isDoNotGive ? ' app-item--safety' : ''}`}>
      {medication.isDoNotGive ? <strong className="app-item__flag">Do not give</strong> : null}
      <p className="app-item__title">
        {medication.text}
        <Marker text={statusLabel(medication.status)} isWarning={medication.status === 'on-hold'} />
      </p>
      <p className="app-item__detail">{medication.detail ? `Dose: ${medication.detail}` : 'Dose not recorded'}</p>
      <p className="app-item__detail">
        {KIND[medication.recordKind]}
        {dates ? ` ${dates}` : ''}
        {medication.reason ? ` · for ${medication.reason}` : ''}
      </p>
      <ItemSource source={medication.source} confirmedAt={medication.confirmedAt} />
    </li>
  );
}

export function MedicationsSection({ record }: RecordProps) {
  const past = record.past.medications;
  return (
    <Section id="medications" title="Medicines">
      <SectionState coverage={record.coverage.medications} words={SECTION_WORDS.medications} count={record.medications.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {record.medications.map((m) => <MedicationItem key={`${m.recordKind}/${m.id}`} medication={m} />)}
      </ul>
      <PastItems count={past.length} words={SECTION_WORDS.medications}>
        <ul className="nhsuk-list app-items">
          {past.map((m) => <MedicationItem key={`${m.recordKind}/${m.id}`} medication={m} />)}
        </ul>
      </PastItems>
    </Section>
  );
}

function ConditionItem({ condition }: Readonly<{ condition: ConditionView }>) {
  const clinical = condition.clinicalStatus === 'active' ? null : statusLabel(condition.clinicalStatus);
  return (
    <li className="app-item">
      <p className="app-item__title">
        {condition.text}
        <Marker text={verificationLabel(condition.verification)} isWarning />
        <Marker text={clinical} />
      </p>
      {condition.detail ? <p className="app-item__detail">{condition.detail}</p> : null}
      {condition.since ? <p className="app-item__detail">Since {formatWhen(condition.since)}</p> : null}
      <ItemSource source={condition.source} confirmedAt={condition.confirmedAt} />
    </li>
  );
}

export function ConditionsSection({ record }: RecordProps) {
  const past = record.past.conditions;
  return (
    <Section id="conditions" title="Conditions">
      <SectionState coverage={record.coverage.conditions} words={SECTION_WORDS.conditions} count={record.conditions.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {record.conditions.map((c) => <ConditionItem key={c.id} condition={c} />)}
      </ul>
      <PastItems count={past.length} words={SECTION_WORDS.conditions}>
        <ul className="nhsuk-list app-items">
          {past.map((c) => <ConditionItem key={c.id} condition={c} />)}
        </ul>
      </PastItems>
    </Section>
  );
}
