import { type ReactNode } from 'react';
import { type AlertView, type AllergyView, type CarePlanView, type ListItemView } from '../../contract';
import { type CarePlanKind } from '../../core/fhirCodes';
import { Freshness } from './Freshness';
import { capitalise, saysTheSame } from './textCompare';

function Section({ id, title, children }: Readonly<{ id: string; title: string; children: ReactNode }>) {
  return (
    <section className="app-section" aria-labelledby={`${id}-heading`}>
      <h2 className="nhsuk-heading-m app-section__heading" id={`${id}-heading`}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** "None recorded", never "none": absence in the record is not evidence of absence. */
const NoneRecorded = ({ what }: Readonly<{ what: string }>) => <p className="app-muted">No {what} recorded in the shared care record.</p>;

export function AlertsSection({ alerts, now }: Readonly<{ alerts: readonly AlertView[]; now: number }>) {
  // Safety warnings first: they are why this section exists.
  const sorted = [...alerts].sort((a, b) => Number(b.isSafetyWarning) - Number(a.isSafetyWarning));
  return (
    <Section id="alerts" title="Alerts">
      {sorted.length === 0 ? <NoneRecorded what="alerts" /> : null}
      <ul className="nhsuk-list app-items">
        {sorted.map((alert) => (
          <li key={alert.id} className={`app-item${alert.isSafetyWarning ? ' app-item--safety' : ''}`}>
            {alert.isSafetyWarning ? <strong className="app-item__flag">Safety warning</strong> : null}
            <p className="app-item__title">{alert.text}</p>
            {alert.category && !(alert.isSafetyWarning && saysTheSame(alert.category, 'safety')) ? (
              <p className="app-item__detail">{capitalise(alert.category)}</p>
            ) : null}
            <Freshness syncedAt={alert.syncedAt} isPossiblyStale={alert.isPossiblyStale} now={now} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

const CRITICALITY: Readonly<Record<NonNullable<AllergyView['criticality']>, string>> = {
  high: 'High risk',
  low: 'Low risk',
  'unable-to-assess': 'Risk not assessed',
};

export function AllergiesSection({ allergies, now }: Readonly<{ allergies: readonly AllergyView[]; now: number }>) {
  return (
    <Section id="allergies" title="Allergies">
      {allergies.length === 0 ? <NoneRecorded what="allergies" /> : null}
      <ul className="nhsuk-list app-items">
        {allergies.map((allergy) => (
          <li key={allergy.id} className={`app-item${allergy.criticality === 'high' ? ' app-item--safety' : ''}`}>
            <p className="app-item__title">
              {allergy.substance}
              {allergy.criticality ? (
                <strong className={`nhsuk-tag app-item__tag ${allergy.criticality === 'high' ? 'nhsuk-tag--red' : 'nhsuk-tag--grey'}`}>
                  {CRITICALITY[allergy.criticality]}
                </strong>
              ) : null}
            </p>
            <p className="app-item__detail">{allergy.reaction ? `Reaction: ${allergy.reaction}` : 'Reaction not recorded'}</p>
            <Freshness syncedAt={allergy.syncedAt} isPossiblyStale={allergy.isPossiblyStale} now={now} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

const CARE_PLAN_KIND_LABELS: Readonly<Record<CarePlanKind, string>> = {
  'end-of-life': 'End of life care plan',
  'sickle-cell': 'Sickle cell care plan',
  'mental-health-crisis': 'Mental health crisis plan',
};

const kindLabel = (plan: CarePlanView): string => (plan.kind ? CARE_PLAN_KIND_LABELS[plan.kind] : 'Care plan');

export function CarePlansSection({ carePlans, now }: Readonly<{ carePlans: readonly CarePlanView[]; now: number }>) {
  return (
    <Section id="care-plans" title="Care plans">
      {carePlans.length === 0 ? <NoneRecorded what="care plans" /> : null}
      <ul className="nhsuk-list app-items">
        {carePlans.map((plan) => (
          <li key={plan.id} className="app-item app-item--plan">
            {saysTheSame(kindLabel(plan), plan.title) ? null : <p className="app-item__kind">{kindLabel(plan)}</p>}
            <h3 className="nhsuk-heading-s app-item__title">{plan.title}</h3>
            {plan.description ? <p className="app-item__text">{plan.description}</p> : null}
            {plan.activities.length > 0 ? (
              <ul className="nhsuk-list nhsuk-list--bullet app-item__activities" aria-label={`What to do: ${plan.title}`}>
                {plan.activities.map((activity, index) => (
                  // Activities have no ids of their own; position is stable within one plan version.
                  <li key={index}>{activity}</li>
                ))}
              </ul>
            ) : null}
            {plan.author ? <p className="app-item__detail">Written by {plan.author}</p> : null}
            <Freshness syncedAt={plan.syncedAt} isPossiblyStale={plan.isPossiblyStale} now={now} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

type ListProps = Readonly<{ id: string; title: string; what: string; items: readonly ListItemView[]; now: number }>;

export function ListSection({ id, title, what, items, now }: ListProps) {
  return (
    <Section id={id} title={title}>
      {items.length === 0 ? <NoneRecorded what={what} /> : null}
      <ul className="nhsuk-list app-items">
        {items.map((item) => (
          <li key={item.id} className="app-item">
            <p className="app-item__title">{item.text}</p>
            {item.detail ? <p className="app-item__detail">{item.detail}</p> : null}
            <Freshness syncedAt={item.syncedAt} isPossiblyStale={item.isPossiblyStale} now={now} />
          </li>
        ))}
      </ul>
    </Section>
  );
}
