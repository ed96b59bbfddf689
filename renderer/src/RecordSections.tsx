import { type AlertView, type AllergyView, type PatientRecordView, type ReactionView } from '../../contract';
import { ItemSource } from './Freshness';
import { Marker, PastItems, Section, SectionState } from './RecordParts';
import { SECTION_WORDS, formatWhen, statusLabel, verificationLabel } from './recordText';
import { capitalise, saysTheSame } from './textCompare';

type RecordProps = Readonly<{ record: PatientRecordView }>;

function AlertItem({ alert, isCurrent = true }: Readonly<{ alert: AlertView; isCurrent?: boolean }>) {
  const others = alert.categories.filter((c) => !saysTheSame(c, alert.category));
  const until = formatWhen(alert.until);
  return (
    <li className={`app-item${alert.isSafetyWarning ? ' app-item--safety' : ''}`}>
      {alert.isSafetyWarning ? <strong className="app-item__flag">Safety warning</strong> : null}
      <p className="app-item__title">
        {alert.text}
        <Marker text={statusLabel(alert.status)} />
      </p>
      {alert.category && !(alert.isSafetyWarning && saysTheSame(alert.category, 'safety')) ? (
        <p className="app-item__detail">{[alert.category, ...others].map(capitalise).join(', ')}</p>
      ) : null}
      {until ? <p className="app-item__detail">Until {until}</p> : null}
      <ItemSource source={alert.source} confirmedAt={alert.confirmedAt} isSafetyCritical={isCurrent} />
    </li>
  );
}

export function AlertsSection({ record }: RecordProps) {
  // Safety warnings first: they are why this section exists.
  const sorted = [...record.alerts].sort((a, b) => Number(b.isSafetyWarning) - Number(a.isSafetyWarning));
  const past = record.past.alerts;
  return (
    <Section id="alerts" title="Alerts">
      <SectionState coverage={record.coverage.alerts} words={SECTION_WORDS.alerts} count={sorted.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {sorted.map((alert) => <AlertItem key={alert.id} alert={alert} />)}
      </ul>
      <PastItems count={past.length} words={SECTION_WORDS.alerts}>
        <ul className="nhsuk-list app-items">
          {past.map((alert) => <AlertItem key={alert.id} alert={alert} isCurrent={false} />)}
        </ul>
      </PastItems>
    </Section>
  );
}

const CRITICALITY: Readonly<Record<NonNullable<AllergyView['criticality']>, string>> = {
  high: 'High risk',
  low: 'Low risk',
  'unable-to-assess': 'Risk not assessed',
};

/** "Anaphylaxis (severe)", the reaction's words and severity. */
const reactionText = (r: ReactionView): string =>
  [r.manifestations.join(', ') || r.description, r.severity ? `(${r.severity})` : null, r.substance ? `to ${r.substance}` : null].filter(Boolean).join(' ');

function AllergyItem({ allergy, isCurrent = true }: Readonly<{ allergy: AllergyView; isCurrent?: boolean }>) {
  const hasAnaphylaxis = allergy.reactions.some((r) => r.isAnaphylaxis);
  return (
    <li className={`app-item${allergy.criticality === 'high' || hasAnaphylaxis ? ' app-item--safety' : ''}`}>
      <p className="app-item__title">
        {allergy.substance}
        {allergy.criticality ? <Marker text={CRITICALITY[allergy.criticality]} tone={allergy.criticality === 'high' ? 'danger' : 'plain'} /> : null}
        <Marker text={verificationLabel(allergy.verification)} isWarning />
        <Marker text={allergy.clinicalStatus && allergy.clinicalStatus !== 'active' ? statusLabel(allergy.clinicalStatus) : null} />
      </p>
      {allergy.reactions.length === 0 ? <p className="app-item__detail">Reaction not recorded</p> : null}
      {allergy.reactions.length === 1 && allergy.reactions[0] ? (
        <p className="app-item__detail">Reaction: {allergy.reactions[0].isAnaphylaxis ? <strong>{reactionText(allergy.reactions[0])}</strong> : reactionText(allergy.reactions[0])}</p>
      ) : null}
      {allergy.reactions.length > 1 ? (
        <>
          <p className="app-item__detail">Reactions, most severe first:</p>
          <ul className="nhsuk-list nhsuk-list--bullet app-item__activities">
            {allergy.reactions.map((r, index) => (
              // Reactions have no ids; their order is fixed by severity within one allergy version.
              <li key={index}>{r.isAnaphylaxis ? <strong>{reactionText(r)}</strong> : reactionText(r)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {allergy.type === 'intolerance' ? <p className="app-item__detail">Recorded as an intolerance, not an allergy</p> : null}
      {allergy.notes.map((note, index) => (
        <p key={index} className="app-item__text">{note}</p>
      ))}
      <ItemSource source={allergy.source} confirmedAt={allergy.confirmedAt} isSafetyCritical={isCurrent} />
    </li>
  );
}

export function AllergiesSection({ record }: RecordProps) {
  const { allergies, allergyStatements } = record;
  const past = record.past.allergies;
  return (
    <Section id="allergies" title="Allergies">
      <SectionState coverage={record.coverage.allergies} words={SECTION_WORDS.allergies} count={allergies.length + allergyStatements.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {allergies.map((allergy) => <AllergyItem key={allergy.id} allergy={allergy} />)}
      </ul>
      {allergyStatements.length > 0 ? (
        <ul className="nhsuk-list app-items" aria-label="Also recorded about allergies">
          {allergyStatements.map((s) => (
            <li key={s.id} className="app-item app-item--statement">
              <p className="app-item__title">{s.text}</p>
              <ItemSource source={s.source} confirmedAt={s.confirmedAt} isSafetyCritical />
            </li>
          ))}
        </ul>
      ) : null}
      <PastItems count={past.length} words={SECTION_WORDS.allergies}>
        <ul className="nhsuk-list app-items">
          {past.map((allergy) => <AllergyItem key={allergy.id} allergy={allergy} isCurrent={false} />)}
        </ul>
      </PastItems>
    </Section>
  );
}
