import { useState } from 'react';
import { type CarePlanView, type ContributionView, type PatientRecordView } from '../../contract';
import { type CarePlanKind } from '../../core/fhirCodes';
import { CarePlanContributionForm, type ContributeAs } from './CarePlanContributionForm';
import { ItemSource } from './Freshness';
import { Marker, PastItems, Section, SectionState } from './RecordParts';
import { SECTION_WORDS, formatWhen, statusLabel } from './recordText';
import { saysTheSame } from './textCompare';

const CARE_PLAN_KIND_LABELS: Readonly<Record<CarePlanKind, string>> = {
  'end-of-life': 'End of life care plan',
  'sickle-cell': 'Sickle cell care plan',
  'mental-health-crisis': 'Mental health crisis plan',
};

const kindLabel = (plan: CarePlanView): string => (plan.kind ? CARE_PLAN_KIND_LABELS[plan.kind] : 'Care plan');

/** What crews added to the plan, each with who and when, and whether it has reached the central record. */
function Contributions({ plan }: Readonly<{ plan: CarePlanView }>) {
  if (plan.contributions.length === 0) return null;
  return (
    <div className="app-item__contributions">
      <h4 className="nhsuk-heading-xs">Added by ambulance crews</h4>
      <ul className="nhsuk-list" aria-label={`Added by ambulance crews: ${plan.title}`}>
        {plan.contributions.map((c: ContributionView) => (
          <li key={c.id} className="app-contribution">
            <p className="app-item__text">
              <strong>{c.label}</strong>
              {c.text ? `: ${c.text}` : ''}
              {c.isWaitingToUpload ? <Marker text="Waiting to upload" isWarning /> : null}
            </p>
            <p className="app-item__detail">{[c.by, formatWhen(c.at)].filter(Boolean).join(', ')}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CarePlanItem({ plan, isCurrent = true, contributeAs }: Readonly<{ plan: CarePlanView; isCurrent?: boolean; contributeAs?: ContributeAs | undefined }>) {
  const [isAdding, setIsAdding] = useState(false);
  const [savedText, setSavedText] = useState<string | null>(null);
  const period = [plan.start ? `from ${formatWhen(plan.start)}` : null, plan.end ? `until ${formatWhen(plan.end)}` : null].filter(Boolean).join(' ');
  return (
    <li className="app-item app-item--plan">
      {saysTheSame(kindLabel(plan), plan.title) ? null : <p className="app-item__kind">{kindLabel(plan)}</p>}
      <h3 className="nhsuk-heading-s app-item__title">
        {plan.title}
        <Marker text={statusLabel(plan.status)} isWarning={plan.status === 'on-hold'} />
        {plan.isWaitingToUpload ? <Marker text="Changes waiting to upload" isWarning /> : null}
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
      <Contributions plan={plan} />
      {period ? <p className="app-item__detail">In force {period}</p> : null}
      <ItemSource source={plan.source} confirmedAt={plan.confirmedAt} isSafetyCritical={isCurrent} />
      {savedText ? <p className="app-notice" role="status">{savedText}</p> : null}
      {contributeAs && isCurrent && !isAdding ? (
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={() => { setSavedText(null); setIsAdding(true); }}>
          Add to this plan<span className="nhsuk-u-visually-hidden">: {plan.title}</span>
        </button>
      ) : null}
      {contributeAs && isAdding ? (
        <CarePlanContributionForm
          plan={plan}
          contributeAs={contributeAs}
          onDone={(message) => { setIsAdding(false); setSavedText(message); }}
        />
      ) : null}
    </li>
  );
}

type Props = Readonly<{ record: PatientRecordView; contributeAs?: ContributeAs | undefined }>;

export function CarePlansSection({ record, contributeAs }: Props) {
  const past = record.past.carePlans;
  return (
    <Section id="care-plans" title="Care plans">
      <SectionState coverage={record.coverage.carePlans} words={SECTION_WORDS.carePlans} count={record.carePlans.length} pastCount={past.length} />
      <ul className="nhsuk-list app-items">
        {record.carePlans.map((plan) => <CarePlanItem key={plan.id} plan={plan} contributeAs={contributeAs} />)}
      </ul>
      <PastItems count={past.length} words={SECTION_WORDS.carePlans}>
        <ul className="nhsuk-list app-items">
          {past.map((plan) => <CarePlanItem key={plan.id} plan={plan} isCurrent={false} />)}
        </ul>
      </PastItems>
    </Section>
  );
}
