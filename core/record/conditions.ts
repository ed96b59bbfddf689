import type { Condition } from '@medplum/fhirtypes';
import { conceptText } from '../fhirText';
import type { ConditionView } from '../views';
import { type Cached, type RecordContext, confirmedAtOf, fhirTime, isPast, provenance, statusCode, text } from './common';

type Verification = ConditionView['verification'];
const SHOWN_VERIFICATION: ReadonlySet<string> = new Set(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted']);
const ACTIVE_CLINICAL: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);

/** "Since 2019" from onsetDateTime, onsetPeriod.start or onsetString, as recorded. */
function onsetOf(condition: Condition): string | null {
  return fhirTime(condition.onsetDateTime ?? condition.onsetPeriod?.start) ?? null;
}

function conditionView(cached: Cached<Condition>, ctx: RecordContext): ConditionView {
  const condition = cached.resource;
  const verification = statusCode(condition.verificationStatus);
  const severity = text(conceptText(condition.severity));
  const bodySite = text(condition.bodySite?.map(conceptText).filter(Boolean).join(', '));
  const detail = [severity, bodySite, text(condition.onsetString)].filter(Boolean).join(' · ');
  return {
    id: condition.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(condition, ctx, { people: [condition.recorder, condition.asserter], at: [condition.recordedDate] }),
    text: text(conceptText(condition.code)) ?? 'Condition not named in the record',
    detail: text(detail),
    verification: SHOWN_VERIFICATION.has(verification ?? '') ? (verification as Verification) : null,
    clinicalStatus: statusCode(condition.clinicalStatus) ?? null,
    since: onsetOf(condition),
  };
}

/**
 * Conditions: entered-in-error never shown, refuted ones past (marked as ruled out); active, recurrence and relapse
 * (or no clinical status, as R4 allows) current unless an abatement date has passed; inactive,
 * remission and resolved are past.
 */
export function conditionViews(conditions: readonly Cached<Condition>[], ctx: RecordContext): { current: ConditionView[]; past: ConditionView[] } {
  const current: ConditionView[] = [];
  const past: ConditionView[] = [];
  for (const cached of conditions) {
    const c = cached.resource;
    const verification = statusCode(c.verificationStatus);
    if (verification === 'entered-in-error') continue;
    const clinical = statusCode(c.clinicalStatus);
    const hasAbated = isPast(c.abatementDateTime ?? c.abatementPeriod?.end, ctx.now) || Boolean(c.abatementString?.trim());
    const isCurrent = verification !== 'refuted' && (clinical === undefined || ACTIVE_CLINICAL.has(clinical)) && !hasAbated;
    (isCurrent ? current : past).push(conditionView(cached, ctx));
  }
  return { current, past };
}
