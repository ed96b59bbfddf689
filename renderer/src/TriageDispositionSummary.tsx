import { type Disposition } from '../../contract';
import { formatAbsoluteTime } from './timeFormat';
import { OUTCOME_LABELS, REFERRAL_LABELS } from './triageText';

function rows(d: Disposition): (readonly [string, string])[] {
  const found: (readonly [string, string])[] = [['Outcome', d.outcome ? OUTCOME_LABELS[d.outcome] : 'Not recorded']];
  if (d.outcome === 'conveyed') found.push(['Hospital and department', d.destination || 'Not recorded']);
  if (d.outcome === 'referred') found.push(['Referred to', d.referredTo ? REFERRAL_LABELS[d.referredTo] : 'Not recorded']);
  if (d.outcome === 'deceased') found.push(['Recognition of life extinct', d.roleAt ? formatAbsoluteTime(d.roleAt) : 'Not recorded']);
  found.push(['Notes', d.notes || 'None']);
  return found;
}

/** The disposition as recorded, read-only once the triage is finished. */
export function TriageDispositionSummary({ disposition }: Readonly<{ disposition: Disposition }>) {
  return (
    <dl className="nhsuk-summary-list app-disposition-summary">
      {rows(disposition).map(([key, value]) => (
        <div className="nhsuk-summary-list__row" key={key}>
          <dt className="nhsuk-summary-list__key">{key}</dt>
          <dd className="nhsuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
