import { type FormAnswer, type FormView, type PatientRecordView } from '../../contract';
import { ItemSource } from './Freshness';
import { Marker, Section, SectionState } from './RecordParts';
import { SECTION_WORDS, formatWhen, statusLabel } from './recordText';

const FORM_STATUS: Readonly<Record<string, string>> = { 'in-progress': 'Not finished', stopped: 'Stopped before it was finished', amended: 'Amended' };

/** Answers in runs of the same section, in form order. */
function bySection(answers: readonly FormAnswer[]): { section: string | null; answers: FormAnswer[] }[] {
  const groups: { section: string | null; answers: FormAnswer[] }[] = [];
  for (const answer of answers) {
    const last = groups[groups.length - 1];
    if (last && last.section === answer.section) last.answers.push(answer);
    else groups.push({ section: answer.section, answers: [answer] });
  }
  return groups;
}

/** A date answer as a date ("13 Nov 2026"); anything else as written. */
const answerText = (answer: string): string => (/^\d{4}-\d{2}(-\d{2})?(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(answer) ? formatWhen(answer) ?? answer : answer);

function FormItem({ form }: Readonly<{ form: FormView }>) {
  const status = FORM_STATUS[form.status] ?? (form.status === 'completed' ? null : statusLabel(form.status));
  return (
    <li className={`app-item${form.isAdvanceCarePlan ? ' app-item--plan' : ''}`}>
      {form.isAdvanceCarePlan ? <p className="app-item__kind">End-of-life or advance care plan, recorded as a form</p> : null}
      <h3 className="nhsuk-heading-s app-item__title">
        {form.title}
        <Marker text={status} isWarning />
      </h3>
      {form.answers.length === 0 ? <p className="app-item__detail">The form has no answers recorded.</p> : null}
      {bySection(form.answers).map((group, index) => (
        // Runs of answers have no ids; their order is the form's own.
        <div key={index} className="app-form__group">
          {group.section ? <h4 className="nhsuk-heading-xs app-form__section">{group.section}</h4> : null}
          <dl className="nhsuk-summary-list app-form__answers">
            {group.answers.map((a, i) => (
              <div key={i} className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">{a.question}</dt>
                <dd className="nhsuk-summary-list__value">{answerText(a.answer)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      {form.omittedAnswers > 0 ? <p className="app-item__detail">{form.omittedAnswers} more answers are in the record but not shown here.</p> : null}
      <ItemSource source={form.source} confirmedAt={form.confirmedAt} />
    </li>
  );
}

/** Forms (questionnaire responses): end-of-life plans and ReSPECT forms are often recorded this way. */
export function FormsSection({ record }: Readonly<{ record: PatientRecordView }>) {
  return (
    <Section id="forms" title="Forms">
      <SectionState coverage={record.coverage.forms} words={SECTION_WORDS.forms} count={record.forms.length} pastCount={0} />
      <ul className="nhsuk-list app-items">
        {record.forms.map((f) => <FormItem key={f.id} form={f} />)}
      </ul>
    </Section>
  );
}
