import type { DocumentReference } from '@medplum/fhirtypes';
import { conceptText } from '../fhirText';
import type { DocumentView } from '../views';
import { type Cached, type RecordContext, byNewest, confirmedAtOf, fhirTime, provenance, text } from './common';

/**
 * Words that mark a document or form as a resuscitation decision, advance decision or end-of-life
 * plan. ReSPECT is matched by its spelling only, so "with respect to" is not one.
 */
const ADVANCE_WORDS = /\b(dnacpr|dnar|dnr|resuscitat\w*|cpr|advance (care plan\w*|decision\w*|directive\w*|statement\w*)|adrt|end[\s-]of[\s-]life|eol|treatment escalation|polst|ceiling of (care|treatment))\b/i;
const RESPECT = /\b(ReSPECT|RESPECT)\b/;

/** True when the text names a resuscitation decision, advance decision or end-of-life plan. */
export const mentionsAdvanceCare = (...texts: readonly (string | null | undefined)[]): boolean =>
  texts.some((t) => Boolean(t) && (ADVANCE_WORDS.test(t ?? '') || RESPECT.test(t ?? '')));

function documentView(cached: Cached<DocumentReference>, ctx: RecordContext): DocumentView {
  const doc = cached.resource;
  const attachment = doc.content?.[0]?.attachment;
  const type = text(conceptText(doc.type));
  const title = text(attachment?.title) ?? text(doc.description) ?? type ?? 'Document';
  const description = text(doc.description);
  const source = provenance(doc, ctx, { people: doc.author ?? [], organisations: [doc.custodian], at: [doc.date, attachment?.creation] });
  return {
    id: doc.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source,
    title,
    type: type === title ? null : type,
    description: description === title ? null : description,
    author: source.by,
    organisation: source.organisation,
    at: fhirTime(doc.date ?? attachment?.creation ?? doc.context?.period?.start),
    contentType: text(attachment?.contentType, 100),
    isPreliminary: doc.docStatus === 'preliminary',
    isAdvanceCarePlan: mentionsAdvanceCare(title, type, description, ...(doc.category ?? []).map(conceptText)),
  };
}

/**
 * Documents the record lists (title, type, author, date). Their content is not downloaded: the
 * screen says it opens only online. Superseded and entered-in-error versions are not shown.
 */
export const documentViews = (docs: readonly Cached<DocumentReference>[], ctx: RecordContext): DocumentView[] =>
  docs
    .filter((d) => d.resource.status === 'current')
    .map((d) => documentView(d, ctx))
    .sort(byNewest((d) => d.at));
