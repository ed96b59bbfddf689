import type { CarePlan, CarePlanActivity, Communication } from '@medplum/fhirtypes';
import { CONTRIBUTION_LABELS, contributionKindOf, planIdOf } from '../carePlanContribution';
import { type CarePlanKind, CARE_PLAN_KINDS, SYSTEMS } from '../fhirCodes';
import { codeIn, conceptText, narrativeText } from '../fhirText';
import type { CarePlanView, ContributionView } from '../views';
import { type Cached, type RecordContext, LONG_TEXT_MAX, confirmedAtOf, fhirTime, isPast, provenance, referenceDisplay, text } from './common';

/** Words that name a plan kind when the record does not use our code system. */
const KIND_WORDS: readonly (readonly [CarePlanKind, RegExp])[] = [
  ['end-of-life', /\bend[\s-]of[\s-]life\b|\bpalliative\b|\beol\b/i],
  ['sickle-cell', /\bsickle[\s-]cell\b/i],
  ['mental-health-crisis', /\bmental health crisis\b|\bcrisis plan\b/i],
];

/** The plan's kind: our code, else the words of its category or title. */
export function carePlanKind(plan: CarePlan): CarePlanKind | null {
  const code = codeIn(plan.category, SYSTEMS.carePlanKind);
  if ((CARE_PLAN_KINDS as readonly string[]).includes(code ?? '')) return code as CarePlanKind;
  const words = [plan.title, ...(plan.category ?? []).map(conceptText)].filter(Boolean).join(' ');
  return KIND_WORDS.find(([, pattern]) => pattern.test(words))?.[0] ?? null;
}

/** What an activity asks: its description, else its code, else what it refers to. */
function activityText(activity: CarePlanActivity, plan: CarePlan, ctx: RecordContext): string | null {
  const detail = activity.detail;
  const base = text(detail?.description) ?? text(conceptText(detail?.code)) ?? referenceDisplay(activity.reference, plan, ctx);
  if (!base) return null;
  return detail?.doNotPerform ? `Do not: ${base}` : base;
}

/** Crews' additions to the plan, oldest first; one withdrawn (entered in error) is not shown. */
function contributionViews(planId: string, communications: readonly Cached<Communication>[], ctx: RecordContext): ContributionView[] {
  return communications
    .filter((c) => planIdOf(c.resource) === planId && c.resource.status !== 'entered-in-error')
    .map(({ resource: c }) => {
      const kind = contributionKindOf(c);
      return {
        id: c.id ?? '',
        label: kind ? CONTRIBUTION_LABELS[kind] : text(c.category?.map(conceptText).find(Boolean)) ?? 'Message about this plan',
        text: text((c.payload ?? []).map((p) => p.contentString?.trim()).filter(Boolean).join('. ')) ?? '',
        by: text(c.sender?.display) ?? null,
        at: fhirTime(c.sent),
        isWaitingToUpload: ctx.waitingKeys?.has(`Communication/${c.id ?? ''}`) ?? false,
      };
    })
    .sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''))
    .slice(-20);
}

function carePlanView(cached: Cached<CarePlan>, ctx: RecordContext, communications: readonly Cached<Communication>[]): CarePlanView {
  const plan = cached.resource;
  const kind = carePlanKind(plan);
  const activities = (plan.activity ?? [])
    .filter((a) => a.detail?.status !== 'cancelled' && a.detail?.status !== 'entered-in-error')
    .map((a) => activityText(a, plan, ctx))
    .filter((a): a is string => a !== null)
    .slice(0, 50);
  const description = text(plan.description) ?? '';
  const title = text(plan.title) ?? text((plan.category ?? []).map(conceptText).find(Boolean)) ?? 'Care plan';
  return {
    id: plan.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(plan, ctx, { people: [plan.author, ...(plan.contributor ?? [])], at: [plan.created] }),
    kind,
    title,
    description,
    activities,
    author: referenceDisplay(plan.author, plan, ctx),
    // Narrative-only plans (HL7 examples carry their content only in text.div) must not show as empty cards.
    narrative: description || activities.length ? null : text(narrativeText(plan.text), LONG_TEXT_MAX),
    notes: (plan.note ?? []).map((n) => text(n.text)).filter((n): n is string => n !== null).slice(0, 10),
    status: plan.status,
    start: fhirTime(plan.period?.start),
    end: fhirTime(plan.period?.end),
    isWaitingToUpload: ctx.waitingKeys?.has(`CarePlan/${plan.id ?? ''}`) ?? false,
    contributions: contributionViews(plan.id ?? '', communications, ctx),
  };
}

const CURRENT: ReadonlySet<string> = new Set(['active', 'on-hold']);

/**
 * Care plans in force: active or on hold, the period not ended. Completed, revoked, draft and
 * ended plans are counted and viewable as past; entered-in-error never shown.
 */
export function carePlanViews(
  plans: readonly Cached<CarePlan>[],
  ctx: RecordContext,
  communications: readonly Cached<Communication>[] = [],
): { current: CarePlanView[]; past: CarePlanView[] } {
  const shown = plans.filter((p) => p.resource.status !== 'entered-in-error');
  const isCurrent = (p: Cached<CarePlan>) => CURRENT.has(p.resource.status) && !isPast(p.resource.period?.end, ctx.now);
  return {
    current: shown.filter(isCurrent).map((p) => carePlanView(p, ctx, communications)),
    past: shown.filter((p) => !isCurrent(p)).map((p) => carePlanView(p, ctx, communications)),
  };
}
