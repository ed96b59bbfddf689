/**
 * Scope 2, "the operating area's patients with active care plans" (DESIGN §4). The area is
 * configuration: a list of postcode districts (the outward code, e.g. "E8", "SW11").
 */
export type AreaConfig = Readonly<{
  districts: readonly string[];
  /** true: only patients with an active CarePlan (the crew's caseload). false: every resident of the area. */
  requireActiveCarePlan: boolean;
}>;

type PatientLike = Readonly<{ address?: readonly { use?: string; postalCode?: string }[] }>;
type PlanLike = Readonly<{ id: string; status?: string }>;

/**
 * The outward code of a UK postcode, upper case; '' when there is none.
 * @example postcodeDistrict('sw11 5xu') // 'SW11'
 */
export function postcodeDistrict(postcode: string | undefined): string {
  const compact = (postcode ?? '').toUpperCase().replace(/\s+/g, '');
  // The inward code is always digit + two letters, so the outward code is what precedes it.
  const match = /^([A-Z]{1,2}\d[A-Z\d]?)\d[A-Z]{2}$/.exec(compact);
  return match?.[1] ?? '';
}

/** District of the patient's home address (else the first address with a postcode). */
export function districtOf(patient: PatientLike): string {
  const addresses = patient.address ?? [];
  const home = addresses.find((a) => a.use === 'home' && a.postalCode) ?? addresses.find((a) => a.postalCode);
  return postcodeDistrict(home?.postalCode);
}

/** The active plan ids after seeing one version of a plan. */
export function withPlan(activePlanIds: readonly string[], plan: PlanLike): string[] {
  const others = activePlanIds.filter((id) => id !== plan.id);
  return plan.status === 'active' ? [...others, plan.id].sort() : others;
}

export function isAreaMember(facts: Readonly<{ district: string; activePlanIds: readonly string[] }>, area: AreaConfig): boolean {
  if (!facts.district || !area.districts.some((d) => d.toUpperCase() === facts.district)) return false;
  return !area.requireActiveCarePlan || facts.activePlanIds.length > 0;
}

/**
 * The operating area from configuration: ONSCENE_AREA_DISTRICTS ("E8,N1,SW11") and, to cache every
 * resident rather than the care-plan caseload, ONSCENE_AREA_ALL_RESIDENTS=1. Null (no area scope) when unset.
 */
export function readAreaConfig(env: Readonly<Record<string, string | undefined>>): AreaConfig | null {
  const districts = (env.ONSCENE_AREA_DISTRICTS ?? '').split(',').map((d) => postcodeDistrict(`${d.trim()} 1AA`)).filter(Boolean);
  if (districts.length === 0) return null;
  return { districts: [...new Set(districts)], requireActiveCarePlan: env.ONSCENE_AREA_ALL_RESIDENTS !== '1' };
}
