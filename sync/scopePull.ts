import { patientIdOf } from '../core/patientLink';
import { includesFor, referencedMedications } from './medications';
import { applyDeletionToPrivacy, ensureScreened, markScreened, screenForStorage, screenResources } from './privacy';
import type { TierName } from './progress';
import { applyDeletion } from './purge';
import { type StoredResource, catchUp, patientParam, pullDeletions, pullWithCursor, searchUrl } from './pullType';
import type { ScopeName } from './scopeBook';
import { type PendingConfirmation, type SyncContext, checkpointKey } from './syncContext';

/** Plain names for the phase text the crew reads. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  Patient: 'patient details',
  Consent: 'resuscitation decisions',
  Flag: 'alerts and flags',
  AllergyIntolerance: 'allergies',
  CarePlan: 'care plans',
  QuestionnaireResponse: 'care plan and decision forms',
  MedicationRequest: 'prescriptions',
  MedicationStatement: 'medications',
  Condition: 'problems',
  RelatedPerson: 'contacts',
  CareTeam: 'care teams',
  Communication: 'notes on care plans',
  Encounter: 'past encounters',
  Procedure: 'procedures',
  Immunization: 'immunisations',
  DocumentReference: 'documents',
  Observation: 'observations',
};

/** Types stored before a patient's Consents are read: they hold nothing an objection to sharing withholds. */
const BEFORE_SCREENING: ReadonlySet<string> = new Set(['Patient', 'Consent']);

/**
 * Stores what a pull fetched for members: withheld information set aside (sync/privacy.ts), then
 * the rest with the Medications it references (sync/medications.ts).
 */
async function storeFetched(ctx: SyncContext, scope: ScopeName, type: string, fetched: readonly StoredResource[], included: readonly StoredResource[]): Promise<void> {
  if (!BEFORE_SCREENING.has(type)) await ensureScreened(ctx, scope, fetched.map(patientIdOf));
  const keep = await screenResources(ctx, fetched);
  const medications = await screenForStorage(ctx, await referencedMedications(ctx, keep, included));
  const at = ctx.serverNow();
  await ctx.resources.upsertFromServer(keep, at);
  await ctx.resources.upsertLinked(medications, at);
}

/** A list filter stays well inside URL limits; beyond it the type is read whole and filtered here. */
const MAX_LIST_MEMBERS = 100;

export type ScopePlan = Readonly<{
  scope: ScopeName;
  label: string;
  /** Resource types per priority tier, in the order they are fetched (DESIGN §4 "priority under weak signal"). */
  tiers: readonly (readonly [TierName, readonly string[]])[];
  /**
   * 'list': the server selects members' resources (`patient=a,b,c`); 'type-wide': the whole type
   * since the cursor, members kept here. Both keep the same cursor meaning, so a scope may switch.
   */
  strategy: 'list' | 'type-wide';
  /** Extra search parameters for a type read type-wide (e.g. `_include`). */
  extraParams?: (type: string) => string;
  /** Membership changes a type-wide page causes; returns included resources to store as well. */
  onTypeWidePage?: (type: string, fresh: readonly StoredResource[], included: readonly StoredResource[]) => StoredResource[];
}>;

export const typesOf = (plan: ScopePlan): string[] => plan.tiers.flatMap(([, types]) => [...types]);

async function pullMain(ctx: SyncContext, plan: ScopePlan, type: string): Promise<void> {
  const members = ctx.book.members(plan.scope);
  if (plan.strategy === 'list' && members.length === 0) return;
  const isList = plan.strategy === 'list' && members.length <= MAX_LIST_MEMBERS;
  const filter = isList ? `${patientParam(type)}=${members.map(encodeURIComponent).join(',')}` : '';
  await pullWithCursor(ctx, {
    key: checkpointKey(plan.scope, type),
    url: (cursor) => searchUrl(type, filter, cursor, ctx.pageSize, `${includesFor(type)}${isList ? '' : (plan.extraParams?.(type) ?? '')}`),
    label: `${plan.label}: ${TYPE_LABELS[type] ?? type}`,
    onPage: async (fresh, included) => {
      const extra = !isList && plan.onTypeWidePage ? plan.onTypeWidePage(type, fresh, included) : [];
      const keep = fresh.filter((r) => ctx.book.isMember(plan.scope, patientIdOf(r)));
      await storeFetched(ctx, plan.scope, type, [...keep, ...extra], included);
      await ctx.book.flush();
    },
  });
}

async function catchUpPending(ctx: SyncContext, scope: ScopeName, type: string): Promise<void> {
  const pending = ctx.book.pendingFor(scope, type);
  if (pending.length === 0) return;
  await catchUp(ctx, type, pending, async (resources, chunk, included) => {
    await storeFetched(ctx, scope, type, resources, included);
    ctx.book.markFetched(scope, type, chunk);
    await ctx.book.flush();
  }, includesFor(type));
}

/**
 * Fetches whole what a tier's members still wait for: after the incident safety tier's deletions,
 * which may end an objection to sharing (its Consent deleted) and so ask for everything again.
 */
export async function catchUpTier(ctx: SyncContext, plan: ScopePlan, tier: TierName): Promise<void> {
  for (const type of plan.tiers.find(([t]) => t === tier)?.[1] ?? []) await catchUpPending(ctx, plan.scope, type);
}

/**
 * Marks the members of each pull's scope as confirmed for its type at the time that pull began
 * (issue #11: "confirmed at" is a completed pull that covered the patient, changed or not). Call
 * only once each pull, its catch-up and its deletions have all completed in this run.
 */
export async function confirmPulls(ctx: SyncContext, pulls: readonly PendingConfirmation[]): Promise<void> {
  for (const { scope, type, at } of pulls) ctx.book.confirm(scope, type, at);
  await ctx.book.flush();
}

/** Reads each type's deletions once per run (type history is region-wide, so never twice). */
export async function readDeletions(ctx: SyncContext, types: readonly string[]): Promise<void> {
  for (const type of types) {
    if (ctx.deletionsRead.has(type)) continue;
    await pullDeletions(ctx, type, async (deletion) => {
      applyDeletionToPrivacy(ctx, deletion.resourceType, deletion.id);
      await applyDeletion(ctx, deletion);
    });
    ctx.deletionsRead.add(type);
  }
}

/**
 * Pulls a scope tier by tier, type by type: new and changed resources from the checkpoint, then
 * whole records for patients who joined since, then the type's deletions — except that the
 * incident safety tier reads its deletions afterwards (the caller does), so a region's worth of
 * history never stands between a crew and their patient's resuscitation decision.
 *
 * Confirmation (issue #11) is per tier: a tier's types count as confirmed only once the whole tier
 * completed, each at the server time its own pull began (the incident safety tier's are left to
 * the caller, after its deletions). They are written once, when the scope ends or stops: a stop
 * part-way (no signal during the history) still records the tiers completed before it, and a
 * large caseload's documents are written once a run rather than once a tier (10,000 patients'
 * documents take about a second to write).
 */
export async function pullScope(ctx: SyncContext, plan: ScopePlan, onlyTiers?: readonly TierName[]): Promise<void> {
  const completed: PendingConfirmation[] = [];
  let isFailed = false;
  try {
    for (const [tier, types] of plan.tiers) {
      if (onlyTiers && !onlyTiers.includes(tier)) continue;
      const isDeferred = plan.scope === 'incident' && tier === 'safety';
      const tierDone: PendingConfirmation[] = [];
      for (const type of types) {
        ctx.progress.step(`${plan.label}: ${TYPE_LABELS[type] ?? type}`);
        // Taken before the pull: anything changed on the server after it may not have been seen.
        const startedAt = ctx.serverNow();
        await pullMain(ctx, plan, type);
        await catchUpPending(ctx, plan.scope, type);
        if (type === 'Consent') markScreened(ctx, plan.scope);
        if (!isDeferred) await readDeletions(ctx, [type]);
        tierDone.push({ scope: plan.scope, type, at: startedAt });
        ctx.progress.typeDone(plan.scope, tier);
        ctx.progress.stepDone();
      }
      (isDeferred ? ctx.deferredConfirmations : completed).push(...tierDone);
    }
  } catch (error) {
    isFailed = true;
    throw error;
  } finally {
    try {
      if (completed.length) await confirmPulls(ctx, completed);
    } catch (error) {
      // The run's own failure is the one to report; these stamps are simply not written (the safe side).
      if (!isFailed) throw error;
    }
  }
}
