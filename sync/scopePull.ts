import { patientIdOf } from '../core/patientLink';
import type { TierName } from './progress';
import { applyDeletion } from './purge';
import { type StoredResource, catchUp, patientParam, pullDeletions, pullWithCursor, searchUrl } from './pullType';
import type { ScopeName } from './scopeBook';
import { type SyncContext, checkpointKey } from './syncContext';

/** Plain names for the phase text the crew reads. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  Patient: 'patient details',
  Consent: 'resuscitation decisions',
  Flag: 'alerts and flags',
  AllergyIntolerance: 'allergies',
  CarePlan: 'care plans',
  MedicationStatement: 'medications',
  Condition: 'problems',
  Observation: 'observations',
};

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
    url: (cursor) => searchUrl(type, filter, cursor, ctx.pageSize, isList ? '' : (plan.extraParams?.(type) ?? '')),
    label: `${plan.label}: ${TYPE_LABELS[type] ?? type}`,
    onPage: async (fresh, included) => {
      const extra = !isList && plan.onTypeWidePage ? plan.onTypeWidePage(type, fresh, included) : [];
      const keep = fresh.filter((r) => ctx.book.isMember(plan.scope, patientIdOf(r)));
      await ctx.resources.upsertFromServer([...keep, ...extra], ctx.serverNow());
      await ctx.book.flush();
    },
  });
}

async function catchUpPending(ctx: SyncContext, scope: ScopeName, type: string): Promise<void> {
  const pending = ctx.book.pendingFor(scope, type);
  if (pending.length === 0) return;
  await catchUp(ctx, type, pending, async (resources, chunk) => {
    await ctx.resources.upsertFromServer(resources, ctx.serverNow());
    ctx.book.markFetched(scope, type, chunk);
    await ctx.book.flush();
  });
}

/**
 * Marks the scope's members as having their resuscitation decisions confirmed at `at`: call only
 * once the scope's Consent pull, catch-up and deletions have all completed in this run.
 */
export async function confirmConsent(ctx: SyncContext, scope: ScopeName, at: string): Promise<void> {
  ctx.book.confirmConsent(scope, at);
  await ctx.book.flush();
}

/** Reads each type's deletions once per run (type history is region-wide, so never twice). */
export async function readDeletions(ctx: SyncContext, types: readonly string[]): Promise<void> {
  for (const type of types) {
    if (ctx.deletionsRead.has(type)) continue;
    await pullDeletions(ctx, type, (deletion) => applyDeletion(ctx, deletion));
    ctx.deletionsRead.add(type);
  }
}

/**
 * Pulls a scope tier by tier, type by type: new and changed resources from the checkpoint, then
 * whole records for patients who joined since, then the type's deletions — except that the
 * incident safety tier reads its deletions afterwards (the caller does), so a region's worth of
 * history never stands between a crew and their patient's resuscitation decision.
 */
export async function pullScope(ctx: SyncContext, plan: ScopePlan, onlyTiers?: readonly TierName[]): Promise<void> {
  for (const [tier, types] of plan.tiers) {
    if (onlyTiers && !onlyTiers.includes(tier)) continue;
    for (const type of types) {
      ctx.progress.step(`${plan.label}: ${TYPE_LABELS[type] ?? type}`);
      // Taken before the pull: anything changed on the server after it may not have been seen.
      const startedAt = ctx.serverNow();
      await pullMain(ctx, plan, type);
      await catchUpPending(ctx, plan.scope, type);
      if (plan.scope !== 'incident' || tier !== 'safety') {
        await readDeletions(ctx, [type]);
        if (type === 'Consent') await confirmConsent(ctx, plan.scope, startedAt);
      } else if (type === 'Consent') ctx.consentPullStartedAt.set(plan.scope, startedAt); // confirmed by the caller after the deletions
      ctx.progress.typeDone(plan.scope, tier);
      ctx.progress.stepDone();
    }
  }
}
