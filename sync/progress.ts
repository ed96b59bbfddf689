import type { SyncScopeProgress, SyncStatus } from '../core/views';
import type { ScopeName } from './scopeBook';

export type TierName = 'safety' | 'clinical' | 'history';
export const TIER_NAMES: readonly TierName[] = ['safety', 'clinical', 'history'];

type TierState = { done: number; total: number; isComplete: boolean };
type ScopeState = { patients: number; tiers: Map<TierName, TierState>; lastCompleteAt: string | null };

/**
 * Honest progress (LESSONS: bars past 100%, "complete" at 28%): the run's steps are planned up
 * front, `done` only grows and is capped at `total`, and a tier is complete only when its last
 * resource type has been fetched to the end.
 */
export function createProgress(onChange: (progress: SyncStatus['progress'], scopes: SyncScopeProgress[]) => void) {
  let total = 0;
  let done = 0;
  let phase = 'Connecting to the central record';
  const scopes = new Map<ScopeName, ScopeState>();
  const emit = () => onChange({ done: Math.min(done, total), total, phase }, snapshot());
  function snapshot(): SyncScopeProgress[] {
    return [...scopes.entries()].map(([scope, s]) => ({
      scope,
      patients: s.patients,
      tiers: TIER_NAMES.filter((t) => s.tiers.has(t)).map((tier) => {
        const t = s.tiers.get(tier) as TierState;
        return { tier, done: Math.min(t.done, t.total), total: t.total, isComplete: t.isComplete };
      }),
      lastCompleteAt: s.lastCompleteAt,
    }));
  }
  return {
    snapshot,
    /** Sets the number of steps this run will take; never lowers what is already done. */
    plan(steps: number) {
      total = Math.max(steps, done);
      emit();
    },
    step(nextPhase: string) {
      phase = nextPhase;
      emit();
    },
    /** A step within the plan finished. */
    stepDone() {
      done = Math.min(done + 1, total);
      emit();
    },
    /** Phase text with a count inside a long step (a resource type of many pages). */
    detail(text: string) {
      phase = text;
      emit();
    },
    /** Starts a scope's tiers afresh for this run, keeping when it was last complete. */
    beginScope(scope: ScopeName, patients: number, typesPerTier: ReadonlyMap<TierName, number>, lastCompleteAt: string | null) {
      const tiers = new Map<TierName, TierState>();
      for (const [tier, n] of typesPerTier) tiers.set(tier, { done: 0, total: n, isComplete: n === 0 });
      scopes.set(scope, { patients, tiers, lastCompleteAt: scopes.get(scope)?.lastCompleteAt ?? lastCompleteAt });
      emit();
    },
    typeDone(scope: ScopeName, tier: TierName) {
      const t = scopes.get(scope)?.tiers.get(tier);
      if (!t) return;
      t.done = Math.min(t.done + 1, t.total);
      t.isComplete = t.done === t.total;
      emit();
    },
    /** The scope reached the end; its member count is final only now (membership is itself pulled). */
    scopeComplete(scope: ScopeName, at: string, patients: number) {
      const s = scopes.get(scope);
      if (s) Object.assign(s, { lastCompleteAt: at, patients });
      emit();
    },
    finish(finalPhase: string) {
      done = total;
      phase = finalPhase;
      emit();
    },
  };
}
export type Progress = ReturnType<typeof createProgress>;
