import { type RelatedRecordView, type ResuscitationView } from '../../contract';
import { formatWhen } from './recordText';

type Row = readonly [label: string, value: string];

/** Everything the decision's record holds beyond the headline, as label and value rows. */
export function decisionRows(view: ResuscitationView): Row[] {
  const decided = `${view.decidedBy ? `by ${view.decidedBy}` : 'by an unknown person'}${view.decidedAt ? ` on ${formatWhen(view.decidedAt)}` : ', date not recorded'}`;
  return [
    ['Decided', decided],
    ...(view.organisation ? [['Organisation', view.organisation] as const] : []),
    ...view.treatments.map((t): Row => [t.isRecommended ? 'Recommended' : 'Not recommended', t.text]),
    ...view.details.map((d): Row => [d.label, d.value]),
    ...view.people.map((p): Row => [p.role ?? 'Person named', p.name]),
    ...(view.form ? [['Form', `${view.form} (not stored on this device)`] as const] : []),
  ];
}

const KIND_WORDS: Readonly<Record<RelatedRecordView['kind'], string>> = {
  'end-of-life-plan': 'An end-of-life plan',
  'advance-decision': 'An advance decision',
  form: 'An end-of-life plan or advance decision recorded as a form',
  document: 'A document about resuscitation or end of life',
  alert: 'An advance directive alert',
};

/** "An end-of-life plan recorded as a form: see Forms below", then what it says. */
export function RelatedRecords({ related, isDecision }: Readonly<{ related: readonly RelatedRecordView[]; isDecision: boolean }>) {
  if (related.length === 0) return null;
  return (
    <div className="app-resus__related">
      <p className="app-resus__related-title">{isDecision ? 'Also recorded' : 'Recorded elsewhere in this record — read it before deciding'}</p>
      <ul className="nhsuk-list nhsuk-list--bullet">
        {related.map((r, index) => (
          // Related records are derived and have no ids of their own; their order is fixed by core.
          <li key={index}>
            {KIND_WORDS[r.kind]}: <strong>{r.text}</strong>
            {r.where === 'Resuscitation decision' ? '' : ` — see ${r.where} below`}
            {r.summary.length ? (
              <ul className="nhsuk-list app-resus__summary">
                {r.summary.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
