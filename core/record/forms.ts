import type { QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from '@medplum/fhirtypes';
import { codingText, labelFromUrl } from '../fhirText';
import type { FormAnswer, FormView } from '../views';
import { type Cached, type RecordContext, confirmedAtOf, provenance, text } from './common';
import { mentionsAdvanceCare } from './documents';

export const FORM_ANSWER_LIMIT = 100;

function answerText(answer: QuestionnaireResponseItemAnswer): string | null {
  if (answer.valueBoolean !== undefined) return answer.valueBoolean ? 'Yes' : 'No';
  if (answer.valueQuantity) return [answer.valueQuantity.value, answer.valueQuantity.unit].filter((p) => p !== undefined).join(' ') || null;
  const scalar = answer.valueString ?? answer.valueDate ?? answer.valueDateTime ?? answer.valueTime ?? answer.valueUri ?? answer.valueDecimal ?? answer.valueInteger;
  if (scalar !== undefined) return String(scalar);
  if (answer.valueCoding) return codingText(answer.valueCoding);
  if (answer.valueReference) return answer.valueReference.display ?? null;
  if (answer.valueAttachment) return answer.valueAttachment.title ?? 'An attachment (not on this device)';
  return null;
}

/** Every answered question, depth first, with the groups above it as its section. */
function flattenItems(items: readonly QuestionnaireResponseItem[] | undefined, path: readonly string[], out: FormAnswer[]): void {
  for (const item of items ?? []) {
    const label = text(item.text, 300) ?? item.linkId;
    const answers = (item.answer ?? []).map(answerText).filter((a): a is string => a !== null);
    if (answers.length) out.push({ section: text(path.join(' › ')), question: text(label) ?? 'Question', answer: text(answers.join(', ')) ?? '' });
    for (const answer of item.answer ?? []) flattenItems(answer.item, [...path, label], out);
    flattenItems(item.item, answers.length ? path : [...path, label], out);
  }
}

/** A form's title from its Questionnaire's URL ("…/Questionnaire/UKCore-Questionnaire-EOLPlan-Example" -> "EOL plan example"). */
function formTitle(response: QuestionnaireResponse): string {
  const fromUrl = labelFromUrl(response.questionnaire)?.replace(/^Questionnaire\s+/i, '');
  return text(fromUrl ? fromUrl.charAt(0).toUpperCase() + fromUrl.slice(1) : null) ?? text(response.item?.[0]?.text) ?? 'Form';
}

function formView(cached: Cached<QuestionnaireResponse>, ctx: RecordContext): FormView {
  const response = cached.resource;
  const answers: FormAnswer[] = [];
  flattenItems(response.item, [], answers);
  const title = formTitle(response);
  const everything = [title, response.questionnaire, ...answers.flatMap((a) => [a.section, a.question])];
  return {
    id: response.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(response, ctx, { people: [response.author], at: [response.authored] }),
    title,
    status: response.status,
    isAdvanceCarePlan: mentionsAdvanceCare(...everything),
    answers: answers.slice(0, FORM_ANSWER_LIMIT),
    omittedAnswers: Math.max(0, answers.length - FORM_ANSWER_LIMIT),
  };
}

/**
 * Forms (QuestionnaireResponse) with their answers: end-of-life plans and ReSPECT forms are often
 * recorded this way. Entered-in-error forms are not shown; unfinished ones show their status.
 * Advance care plans come first.
 */
export const formViews = (forms: readonly Cached<QuestionnaireResponse>[], ctx: RecordContext): FormView[] =>
  forms
    .filter((f) => f.resource.status !== 'entered-in-error')
    .map((f) => formView(f, ctx))
    .sort((a, b) => Number(b.isAdvanceCarePlan) - Number(a.isAdvanceCarePlan));

/** What a form says about resuscitation or treatment, quoted, for the resuscitation panel. */
export const formSummary = (form: FormView): string[] =>
  form.answers
    .filter((a) => mentionsAdvanceCare(a.question, a.answer) || /\b(preferred place|escalat|refuse)/i.test(a.question))
    .slice(0, 5)
    .map((a) => text(`${a.question}: ${a.answer}`) ?? a.question);

