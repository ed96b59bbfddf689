import type { SyncScopeProgress, SyncStatus } from '../core/views';
import { createIssueRepo } from '../db/issueRepo';
import type { LocalStore } from '../db/localStore';
import { createOutboxRepo } from '../db/outboxRepo';
import { createResourceRepo } from '../db/resourceRepo';
import { createScopeRepo } from '../db/scopeRepo';
import { createSyncStateRepo } from '../db/syncStateRepo';
import type { AreaConfig } from './areaRules';
import { areaPlan, refreshAreaMembership, resetAreaIfChanged } from './areaScope';
import type { FhirClient } from './fhirClient';
import { INCIDENT_EXIT_GRACE_MS, INCIDENT_PLAN, refreshIncidents } from './incidentScope';
import { type Progress, type TierName, createProgress } from './progress';
import { purgeOrphans, purgeUnheld } from './purge';
import { ensureHistoryCursors } from './pullType';
import { type PushResult, pushOutbox } from './push';
import { createScopeBook } from './scopeBook';
import { expireObjections } from './privacy';
import { type ScopePlan, catchUpTier, confirmPulls, pullScope, readDeletions, typesOf } from './scopePull';
import { SEARCH_PLAN, holdForSearch } from './searchScope';
import type { PullStats, PurgeNotice, SyncContext } from './syncContext';

export type RunDeps = Readonly<{
  client: FhirClient;
  store: LocalStore;
  vehicle: string;
  area: AreaConfig | null;
  pageSize: number;
  pushBatchSize: number;
  onProgress: (progress: SyncStatus['progress'], scopes: SyncScopeProgress[]) => void;
  auditPurge: (notice: PurgeNotice) => void | Promise<void>;
  /** Overrides INCIDENT_EXIT_GRACE_MS (tests). */
  incidentGraceMs?: number;
  /** Runs once the incident scope is local (e.g. the audit upload), so it never waits behind the caseload. */
  afterIncidentScope?: () => Promise<void>;
}>;

export type RunResult = Readonly<{
  serverTime: string;
  push: PushResult;
  stats: PullStats;
  incidentPatients: number;
  scopes: SyncScopeProgress[];
}>;

const SEARCH_REQUEST_PREFIX = 'searchreq:';
export const searchRequestKey = (patientId: string) => `${SEARCH_REQUEST_PREFIX}${patientId}`;

async function createContext(deps: RunDeps, serverTime: string, progress: Progress): Promise<SyncContext> {
  const state = createSyncStateRepo(deps.store);
  const scopeRepo = createScopeRepo(deps.store);
  let serverNow = serverTime;
  const checkpoints = new Set((await state.withPrefix('cp:')).keys());
  return {
    client: deps.client,
    resources: createResourceRepo(deps.store),
    state,
    issues: createIssueRepo(deps.store),
    book: createScopeBook(await scopeRepo.all(), scopeRepo, () => serverNow),
    progress,
    pageSize: deps.pageSize,
    stats: { pages: 0, resources: 0, duplicates: 0, quarantined: 0, deleted: 0, purgedPatients: 0, withheld: 0 },
    checkpoints,
    deletionsRead: new Set(),
    deferredConfirmations: [],
    screened: new Set(),
    incidentGraceMs: deps.incidentGraceMs ?? INCIDENT_EXIT_GRACE_MS,
    serverNow: () => serverNow,
    noteServerTime: (t) => {
      if (t && t > serverNow) serverNow = t;
    },
    auditPurge: deps.auditPurge,
  };
}

function tiersOf(plan: ScopePlan): Map<TierName, number> {
  return new Map(plan.tiers.map(([tier, types]) => [tier, types.length] as const));
}

async function runScope(ctx: SyncContext, plan: ScopePlan, lastComplete: Record<string, unknown> | null): Promise<void> {
  const previous = typeof lastComplete?.[plan.scope] === 'string' ? (lastComplete[plan.scope] as string) : null;
  ctx.progress.beginScope(plan.scope, ctx.book.members(plan.scope).length, tiersOf(plan), previous);
  await pullScope(ctx, plan);
  ctx.progress.scopeComplete(plan.scope, ctx.serverNow(), ctx.book.members(plan.scope).length);
}

/**
 * One sync, in priority order (DESIGN §4): the incident patients' safety tier, the outbox, the
 * rest of the incident records, the audit upload, the area caseload, patients opened by search,
 * then the purge. Every step commits as it goes; a failure anywhere leaves a resumable store.
 */
export async function runSync(deps: RunDeps, serverTime: string): Promise<RunResult> {
  const progress = createProgress(deps.onProgress);
  const ctx = await createContext(deps, serverTime, progress);
  const lastComplete = await ctx.state.get('scopes-complete');
  await expireObjections(ctx);
  for (const [key, request] of await ctx.state.withPrefix(SEARCH_REQUEST_PREFIX)) {
    holdForSearch(ctx, key.slice(SEARCH_REQUEST_PREFIX.length), typeof request.holdMs === 'number' ? request.holdMs : undefined);
    await ctx.book.flush();
    await ctx.state.remove(key);
  }
  const area = deps.area && deps.area.districts.length ? areaPlan(ctx, deps.area) : null;
  const hasSearch = ctx.book.members('search').length > 0;
  const plans = [INCIDENT_PLAN, ...(area ? [area] : []), ...(hasSearch ? [SEARCH_PLAN] : [])];
  progress.plan(1 + plans.reduce((n, p) => n + typesOf(p).length, 0) + 1 + 1);
  await ensureHistoryCursors(ctx, [...new Set(plans.flatMap(typesOf))], serverTime);

  await refreshIncidents(ctx, deps.vehicle);
  progress.beginScope('incident', ctx.book.members('incident').length, tiersOf(INCIDENT_PLAN), (lastComplete?.incident as string | undefined) ?? null);
  await pullScope(ctx, INCIDENT_PLAN, ['safety']);
  await readDeletions(ctx, INCIDENT_PLAN.tiers[0]?.[1] ?? []);
  await catchUpTier(ctx, INCIDENT_PLAN, 'safety');
  // Only now, with the safety tier's pulls and their deletions complete, is it confirmed ("no decision" included).
  await confirmPulls(ctx, ctx.deferredConfirmations.splice(0));
  progress.step('Uploading records made on this device');
  const outbox = createOutboxRepo(deps.store);
  const push = await pushOutbox({ client: deps.client, outbox, resources: ctx.resources, issues: ctx.issues, batchSize: deps.pushBatchSize, serverNow: ctx.serverNow });
  progress.stepDone();
  await pullScope(ctx, INCIDENT_PLAN, ['clinical', 'history']);
  progress.scopeComplete('incident', ctx.serverNow(), ctx.book.members('incident').length);
  await deps.afterIncidentScope?.();

  if (area && deps.area) {
    await resetAreaIfChanged(ctx, deps.area);
    refreshAreaMembership(ctx, deps.area, area);
    await ctx.book.flush();
    await runScope(ctx, area, lastComplete);
  }
  if (hasSearch) await runScope(ctx, SEARCH_PLAN, lastComplete);
  progress.step('Removing records no longer needed on this device');
  if (!(await ctx.state.get('orphan-sweep'))) {
    await purgeOrphans(ctx);
    await ctx.state.put('orphan-sweep', { at: ctx.serverNow() });
  }
  await purgeUnheld(ctx);
  progress.finish('Up to date');
  const scopes = progress.snapshot();
  await ctx.state.put('scopes-complete', Object.fromEntries(scopes.map((s) => [s.scope, s.lastCompleteAt])));
  return { serverTime: ctx.serverNow(), push, stats: ctx.stats, incidentPatients: ctx.book.members('incident').length, scopes };
}
