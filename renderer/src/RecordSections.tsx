import { type AlertView, type AllergyView, type CarePlanView, type PatientRecordView, type ReactionView } from '../../contract';
import { type CarePlanKind } from '../../core/fhirCodes';
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

const CARE_PLAN_KIND_LABELS: Readonly<Record<CarePlanKind, string>> = {
  'end-of-life': 'End of life care plan',
  'sickle-cell': 'Sickle cell care plan',
  'mental-health-crisis': 'Mental health crisis plan',
};

const kindLabel = (plan: CarePlanView): string => (plan.kind ? CARE_PLAN_KIND_LABELS[plan.kind] : 'Care plan');

function CarePlanItem({ plan, isCurrent = true }: Readonly<{ plan: CarePlanView; isCurrent?: boolean }>) {
  const period = [plan.start ? `from ${formatWhen(plan.start)}` : null, plan.end ? `until ${formatWhen(plan.end)}` : null].filter(Boolean).join(' ');
  return (
    <li className="app-item app-item--plan">
      {saysTheSame(kindLabel(plan), plan.title) ? null : <p className="app-item__kind">{kindLabel(plan)}</p>}
      <h3 className="nhsuk-heading-s app-item__title">
        {plan.title}
        <Marker text={statusLabel(plan.status)} isWarning={plan.status === 'on-hold'} />
      </h3>
      {plan.description ? <p className="app-item__text">{plan.description}</p> : null}
      {plan.activities.length > 0 ? (
        <ul className="nhsuk-list nhsuk-list--bullet app-item__activities" aria-label={`What to do: ${plan.title}`}>
          {plan.activities.map((activity, index) => (
            // Activities have no ids of their own; position is stable within one plan version.
            <li key={index}>{activity}</li>
          ))}
        </ul>
      ) : null}
      {plan.narrative ? (
        <div className="app-item__narrative">
          <p className="app-item__detail">The plan as written in the record:</p>
          {plan.narrative.split('\n').map((line, index) => (
            <p key={index} className="app-item__text">{line}</p>
          ))}
        </div>
      ) : null}
      {!plan.description && plan.activities.length === 0 && !plan.narrative ? <p className="app-item__detail">The record holds no content for this plan.</p> : null}
      {plan.notes.map((note, index) => (
        <p key={index} className="app-item__text">Note: {note}</p>
      ))}
      {period ? <p className="app-item__detail">In force {period}</p> : null}
      <ItemSource source={plan.source} confirmedAt={plan.confirmedAt} isSafetyCritical={isCurrent} />
    </li>
  );
}

export function CarePlansSection({ record }: RecordProps) {
  const past = record.past.carePlans;
  return (
    <Section id="care-plans" title="Care plans">
      <SectionState coverage={record.coverage.carePlans} words={SECTION_WORDS.carePlans} count={record.carePlans.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {record.carePlans.map((plan) => <CarePlanItem key={plan.id} plan={plan} />)}
      </ul>
      <PastItems count={past.length} words={SECTION_WORDS.carePlans}>
        <ul className="nhsuk-list app-items">
          {past.map((plan) => <CarePlanItem key={plan.id} plan={plan} isCurrent={false} />)}
        </ul>
      </PastItems>
    </Section>
  );
}
