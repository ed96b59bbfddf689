import { CLINICAL_TIER_TYPES, HISTORY_TIER_TYPES, SAFETY_TIER_TYPES } from '../core/fhirCodes';
import { patientIdOf } from '../core/patientLink';
import { type AreaConfig, districtOf, isAreaMember, withPlan } from './areaRules';
import type { StoredResource } from './pullType';
import type { ScopePlan } from './scopePull';
import { type SyncContext, pendingTypesOnJoin } from './syncContext';

/**
 * Scope 2, read type-wide from each type's checkpoint and filtered here. Membership comes first:
 * CarePlans (with their patients, `_include`) then Patients, so every later type knows who is in.
 */
export function areaPlan(ctx: SyncContext, area: AreaConfig): ScopePlan {
  // In caseload mode CarePlans decide membership, so they come first (their holders' Consents are
  // then read before anything of theirs is stored, sync/privacy.ts); otherwise Consents lead.
  const membershipTypes: readonly string[] = area.requireActiveCarePlan ? ['CarePlan', 'Patient'] : ['Patient'];
  const plan: ScopePlan = {
    scope: 'area',
    label: 'Area caseload',
    tiers: [
      // Membership stays the CarePlan's (a plan held only as a questionnaire does not put a patient in the caseload).
      ['safety', [...membershipTypes, ...SAFETY_TIER_TYPES.filter((t) => !membershipTypes.includes(t))]],
      ['clinical', [...CLINICAL_TIER_TYPES]],
      ['history', [...HISTORY_TIER_TYPES]],
    ],
    strategy: 'type-wide',
    extraParams: (type) => (type === 'CarePlan' && area.requireActiveCarePlan ? '&_include=CarePlan:subject' : ''),
    onTypeWidePage: (type, fresh, included) => onMembershipPage(ctx, area, plan, type, fresh, included),
  };
  return plan;
}

const allTypes = (plan: ScopePlan) => plan.tiers.flatMap(([, t]) => [...t]);

/** Joins or exits one patient after its facts changed; `fetchedNow` are types this page already brings whole. */
function recompute(ctx: SyncContext, area: AreaConfig, plan: ScopePlan, patientId: string, fetchedNow: readonly string[]): void {
  const doc = ctx.book.get(patientId);
  if (!doc) return;
  if (isAreaMember(doc, area)) ctx.book.join(patientId, 'area', { ref: doc.district, pending: pendingTypesOnJoin(ctx, 'area', allTypes(plan), fetchedNow) });
  else ctx.book.exit(patientId, 'area', ctx.serverNow());
}

/** Re-checks every known patient, e.g. after a configuration change or a deleted plan. */
export function refreshAreaMembership(ctx: SyncContext, area: AreaConfig, plan: ScopePlan): void {
  for (const doc of ctx.book.all()) if (doc.district) recompute(ctx, area, plan, doc.patientId, []);
}

function onMembershipPage(
  ctx: SyncContext, area: AreaConfig, plan: ScopePlan, type: string, fresh: readonly StoredResource[], included: readonly StoredResource[],
): StoredResource[] {
  const inArea = (district: string) => area.districts.some((d) => d.toUpperCase() === district);
  if (type === 'Patient') {
    for (const patient of fresh) {
      const district = districtOf(patient as { address?: { use?: string; postalCode?: string }[] });
      const known = ctx.book.get(patient.id);
      // Only plan holders (caseload) or area residents (all-residents) need a record of their district.
      if (!known && (area.requireActiveCarePlan || !inArea(district))) continue;
      ctx.book.setFacts(patient.id, { district });
      recompute(ctx, area, plan, patient.id, ['Patient']);
    }
    return [];
  }
  if (type !== 'CarePlan' || !area.requireActiveCarePlan) return [];
  const touched = new Set<string>();
  for (const carePlan of fresh) {
    const patientId = patientIdOf(carePlan);
    const known = ctx.book.get(patientId);
    if (!patientId || (!known && (carePlan as { status?: string }).status !== 'active')) continue;
    ctx.book.setFacts(patientId, { activePlanIds: withPlan(known?.activePlanIds ?? [], carePlan as { id: string; status?: string }) });
    touched.add(patientId);
  }
  const patients = new Map(included.filter((r) => r.resourceType === 'Patient' && touched.has(r.id)).map((p) => [p.id, p]));
  for (const [id, patient] of patients) ctx.book.setFacts(id, { district: districtOf(patient as { address?: { use?: string; postalCode?: string }[] }) });
  for (const id of touched) recompute(ctx, area, plan, id, patients.has(id) ? ['Patient'] : []);
  // The included patients of members are current versions: store them with the page.
  return [...patients.values()].filter((p) => ctx.book.isMember('area', p.id));
}

/**
 * A changed area (another district, or caseload vs all residents) invalidates the area's
 * checkpoints: residents of a new district lie behind them. Start the area's pulls again; members
 * who are now outside leave through the usual membership check and purge.
 */
export async function resetAreaIfChanged(ctx: SyncContext, area: AreaConfig): Promise<void> {
  const fingerprint = `${[...area.districts].map((d) => d.toUpperCase()).sort().join(',')}|${area.requireActiveCarePlan ? 'caseload' : 'residents'}`;
  const saved = (await ctx.state.get('area-config'))?.fingerprint;
  if (saved === fingerprint) return;
  for (const key of (await ctx.state.withPrefix('cp:area:')).keys()) {
    await ctx.state.remove(key);
    ctx.checkpoints.delete(key);
  }
  await ctx.state.put('area-config', { fingerprint });
}
