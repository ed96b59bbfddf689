import type { AlertView, CarePlanView, DocumentView, FormView, RelatedRecordView } from '../views';
import { text } from './common';
import { mentionsAdvanceCare } from './documents';
import { formSummary } from './forms';

type Sources = Readonly<{
  carePlans: readonly CarePlanView[];
  forms: readonly FormView[];
  documents: readonly DocumentView[];
  alerts: readonly AlertView[];
  advanceDecisions: readonly RelatedRecordView[];
}>;

/**
 * Records other than a CPR Consent that bear on resuscitation: advance decisions, end-of-life
 * plans, forms, documents and advance-directive alerts. The resuscitation panel names each and
 * where it is, so "none recorded" never stands beside one.
 */
export function relatedRecords(sources: Sources): RelatedRecordView[] {
  const plans = sources.carePlans
    .filter((p) => p.kind === 'end-of-life' || mentionsAdvanceCare(p.title))
    .map((p) => ({
      kind: 'end-of-life-plan' as const,
      text: p.title,
      where: 'Care plans',
      summary: p.activities.filter((a) => mentionsAdvanceCare(a)).slice(0, 3),
    }));
  const forms = sources.forms
    .filter((f) => f.isAdvanceCarePlan)
    .map((f) => ({ kind: 'form' as const, text: text(`${f.title} (recorded as a form)`) ?? f.title, where: 'Forms', summary: formSummary(f) }));
  const documents = sources.documents
    .filter((d) => d.isAdvanceCarePlan)
    .map((d) => ({ kind: 'document' as const, text: d.title, where: 'Documents', summary: [] }));
  const alerts = sources.alerts
    .filter((a) => a.categories.includes('Advance directive') || mentionsAdvanceCare(a.text))
    .map((a) => ({ kind: 'alert' as const, text: a.text, where: 'Alerts', summary: [] }));
  return [...sources.advanceDecisions, ...forms, ...plans, ...documents, ...alerts].slice(0, 20);
}
