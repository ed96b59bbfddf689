import type { CodeableConcept, Flag } from '@medplum/fhirtypes';
import { SYSTEMS } from '../fhirCodes';
import { codingText, conceptText, narrativeText } from '../fhirText';
import type { AlertView } from '../views';
import { FLAG_CATEGORY_LABELS } from './codes';
import { type Cached, type RecordContext, confirmedAtOf, fhirTime, isPast, provenance, text } from './common';

/** One category in plain English: an HL7 flag-category code by our label, anything else by its own words. */
function categoryLabel(concept: CodeableConcept): string | null {
  const hl7 = concept.coding?.find((c) => c.system === SYSTEMS.flagCategory && c.code);
  if (hl7?.code && FLAG_CATEGORY_LABELS[hl7.code]) return FLAG_CATEGORY_LABELS[hl7.code] ?? null;
  return text(concept.text) ?? text(concept.coding?.map(codingText).find(Boolean));
}

const SAFETY_CODES = new Set(['safety', 'behavioral']);

function alertView(cached: Cached<Flag>, ctx: RecordContext): AlertView {
  const flag = cached.resource;
  const categories = (flag.category ?? []).map(categoryLabel).filter((c): c is string => c !== null);
  const codes = (flag.category ?? []).flatMap((c) => c.coding ?? []).filter((c) => c.system === SYSTEMS.flagCategory).map((c) => c.code);
  return {
    id: flag.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(flag, ctx, { people: [flag.author] }),
    category: categories[0] ?? 'Alert',
    categories,
    // Flag.code is required, but narrative-only flags exist (the UK Core example carries both).
    text: text(conceptText(flag.code)) ?? text(narrativeText(flag.text)) ?? 'Alert (no text recorded)',
    isSafetyWarning: codes.some((c) => SAFETY_CODES.has(c ?? '')),
    since: fhirTime(flag.period?.start),
    until: fhirTime(flag.period?.end),
    status: flag.status,
  };
}

/**
 * Alerts in force: status active and the period not ended; safety warnings first. Inactive and
 * ended flags are past; entered-in-error flags are never shown.
 */
export function alertViews(flags: readonly Cached<Flag>[], ctx: RecordContext): { current: AlertView[]; past: AlertView[] } {
  const shown = flags.filter((f) => f.resource.status !== 'entered-in-error');
  const isCurrent = (f: Cached<Flag>) => f.resource.status === 'active' && !isPast(f.resource.period?.end, ctx.now);
  const current = shown
    .filter(isCurrent)
    .map((f) => alertView(f, ctx))
    .sort((a, b) => Number(b.isSafetyWarning) - Number(a.isSafetyWarning));
  return { current, past: shown.filter((f) => !isCurrent(f)).map((f) => alertView(f, ctx)) };
}
