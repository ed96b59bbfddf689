import type { CodeableConcept, Dosage, Medication, MedicationRequest, MedicationStatement, Quantity, Reference, Timing } from '@medplum/fhirtypes';
import { conceptText } from '../fhirText';
import type { MedicationView } from '../views';
import { type Cached, type RecordContext, confirmedAtOf, fhirTime, isPast, provenance, resolve, text } from './common';

export const MEDICATION_NOT_NAMED = 'Medication not named in the record';

const quantityText = (q: Quantity | undefined): string | null =>
  q?.value === undefined ? null : [String(q.value), q.unit ?? q.code].filter(Boolean).join(' ');

const UNIT_WORDS: Readonly<Record<string, [string, string]>> = {
  s: ['second', 'seconds'], min: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'],
  wk: ['week', 'weeks'], mo: ['month', 'months'], a: ['year', 'years'],
};
const TIMES: Readonly<Record<number, string>> = { 1: 'once', 2: 'twice' };

/** "3 times a day", "every 8 hours", "once a week", from timing.repeat; the timing's own code text wins. */
export function timingText(timing: Timing | undefined): string | null {
  const coded = conceptText(timing?.code);
  if (coded) return coded;
  const repeat = timing?.repeat;
  if (!repeat?.periodUnit || repeat.period === undefined) return null;
  const [one, many] = UNIT_WORDS[repeat.periodUnit] ?? [repeat.periodUnit, repeat.periodUnit];
  const frequency = repeat.frequency ?? 1;
  if (frequency === 1 && repeat.period !== 1) return `every ${repeat.period} ${many}`;
  const times = TIMES[frequency] ?? `${frequency} times`;
  return repeat.period === 1 ? `${times} a ${one}` : `${times} every ${repeat.period} ${many}`;
}

/** One dosage as a crew reads it: its text, or built from dose, route, timing and "when required". */
export function dosageText(dosage: Dosage): string | null {
  if (dosage.text?.trim()) return dosage.text.trim();
  const rate = dosage.doseAndRate?.[0];
  const range = rate?.doseRange;
  const dose = quantityText(rate?.doseQuantity) ?? (range?.low || range?.high ? `${quantityText(range.low) ?? '?'} to ${quantityText(range.high) ?? '?'}` : null);
  const asNeeded = dosage.asNeededBoolean ? 'when required' : dosage.asNeededCodeableConcept ? `when required for ${conceptText(dosage.asNeededCodeableConcept) ?? 'symptoms'}` : null;
  const parts = [
    dose,
    conceptText(dosage.route),
    timingText(dosage.timing),
    asNeeded,
    ...(dosage.additionalInstruction ?? []).map(conceptText),
    dosage.patientInstruction?.trim(),
  ].filter((p): p is string => Boolean(p));
  if (!parts.length) return null;
  const joined = parts.join(', ');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

const dosesText = (dosages: readonly Dosage[] | undefined): string | null =>
  text((dosages ?? []).map(dosageText).filter((d): d is string => d !== null).join('; then '));

/** A Medication's name: its code, else its ingredients ("A + B"). */
function medicationName(medication: Medication): string | null {
  return conceptText(medication.code) ?? ((medication.ingredient ?? []).map((i) => conceptText(i.itemCodeableConcept) ?? i.itemReference?.display).filter(Boolean).join(' + ') || null);
}

/**
 * What the medicine is, from a code, a contained Medication ("#med1"), or a Medication sent in the
 * list; an unresolved reference says so rather than showing nothing.
 */
function medicineText(resource: MedicationRequest | MedicationStatement, ctx: RecordContext): string {
  const byCode = conceptText(resource.medicationCodeableConcept as CodeableConcept | undefined);
  if (byCode) return text(byCode) ?? MEDICATION_NOT_NAMED;
  const ref = resource.medicationReference as Reference | undefined;
  const target = resolve(ref, resource, ctx);
  const byResource = target?.resourceType === 'Medication' ? medicationName(target) : null;
  return text(byResource || ref?.display) ?? MEDICATION_NOT_NAMED;
}

const reasonText = (codes: readonly CodeableConcept[] | undefined, refs: readonly Reference[] | undefined): string | null =>
  text([...(codes ?? []).map(conceptText), ...(refs ?? []).map((r) => r.display)].filter(Boolean).join(', '));

function requestView(cached: Cached<MedicationRequest>, ctx: RecordContext): MedicationView {
  const request = cached.resource;
  return {
    id: request.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(request, ctx, { people: [request.requester, request.recorder], at: [request.authoredOn] }),
    text: medicineText(request, ctx),
    detail: dosesText(request.dosageInstruction),
    recordKind: 'prescription',
    status: request.intent === 'proposal' || request.intent === 'plan' ? `${request.status} ${request.intent}` : request.status,
    isDoNotGive: request.doNotPerform === true,
    reason: reasonText(request.reasonCode, request.reasonReference),
    since: fhirTime(request.authoredOn ?? request.dispenseRequest?.validityPeriod?.start),
    until: fhirTime(request.dispenseRequest?.validityPeriod?.end),
  };
}

function statementView(cached: Cached<MedicationStatement>, ctx: RecordContext): MedicationView {
  const statement = cached.resource;
  return {
    id: statement.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(statement, ctx, { people: [statement.informationSource], at: [statement.dateAsserted] }),
    text: medicineText(statement, ctx),
    detail: dosesText(statement.dosage),
    recordKind: 'statement',
    status: statement.status,
    isDoNotGive: false,
    reason: reasonText(statement.reasonCode, statement.reasonReference),
    since: fhirTime(statement.effectiveDateTime ?? statement.effectivePeriod?.start),
    until: fhirTime(statement.effectivePeriod?.end),
  };
}

const CURRENT_REQUEST: ReadonlySet<string> = new Set(['active', 'on-hold']);
const CURRENT_STATEMENT: ReadonlySet<string> = new Set(['active', 'intended']);

/**
 * Medicines: prescriptions (MedicationRequest: active or on hold, the validity period not ended)
 * and statements (MedicationStatement: active or intended, the effective period not ended) are
 * current; the rest are past; entered-in-error never shown. Instructions not to give come first.
 */
export function medicationViews(
  requests: readonly Cached<MedicationRequest>[],
  statements: readonly Cached<MedicationStatement>[],
  ctx: RecordContext,
): { current: MedicationView[]; past: MedicationView[] } {
  const current: MedicationView[] = [];
  const past: MedicationView[] = [];
  for (const cached of requests) {
    const r = cached.resource;
    if (r.status === 'entered-in-error') continue;
    const isCurrent = CURRENT_REQUEST.has(r.status) && !isPast(r.dispenseRequest?.validityPeriod?.end, ctx.now);
    (isCurrent ? current : past).push(requestView(cached, ctx));
  }
  for (const cached of statements) {
    const s = cached.resource;
    if (s.status === 'entered-in-error') continue;
    const isCurrent = CURRENT_STATEMENT.has(s.status) && !isPast(s.effectivePeriod?.end, ctx.now);
    (isCurrent ? current : past).push(statementView(cached, ctx));
  }
  current.sort((a, b) => Number(b.isDoNotGive) - Number(a.isDoNotGive));
  return { current, past };
}

