import { randomUUID } from 'node:crypto';
import { type MonotonicReading, type PurgeClockState, advancePurgeClock, anchorPurgeClock, parsePurgeClock, purgeClockAt } from '../core/purgeClock';
import { createIssueRepo } from '../db/issueRepo';
import type { LocalStore } from '../db/localStore';
import { createResourceRepo } from '../db/resourceRepo';
import { createScopeRepo } from '../db/scopeRepo';
import { type SyncStateRepo, createSyncStateRepo } from '../db/syncStateRepo';
import { type PurgeContext, purgeUnheld } from './purge';
import { createScopeBook } from './scopeBook';
import type { PurgeNotice } from './syncContext';

const CLOCK_KEY = 'purge-clock';

/**
 * A monotonic clock for one process when the host gives no boot identity: readings are never
 * compared across restarts (a fresh epoch each time), so nothing is credited for downtime.
 */
export function processMonotonic(): () => MonotonicReading {
  const epoch = `process-${randomUUID()}`;
  return () => ({ epoch, ms: performance.now() });
}

export type PurgeClockDeps = Readonly<{ state: SyncStateRepo; monotonic: () => MonotonicReading }>;

/**
 * The persisted purge clock (core/purgeClock.ts): anchored on every server answer, advanced and
 * saved on every offline purge pass, so time proven before a restart is not lost.
 */
export function createPurgeClock(deps: PurgeClockDeps) {
  let clock: PurgeClockState | null | undefined;
  const load = async (): Promise<PurgeClockState | null> => {
    if (clock === undefined) clock = parsePurgeClock(await deps.state.get(CLOCK_KEY));
    return clock;
  };
  const save = async (next: PurgeClockState) => {
    clock = next;
    await deps.state.put(CLOCK_KEY, { ...next, mark: { ...next.mark } });
  };
  return {
    /** The central record answered with this time (HTTP Date). */
    async anchor(serverAt: string): Promise<void> {
      await save(anchorPurgeClock(await load(), serverAt, deps.monotonic()));
    },
    /** Credits the time proven since the last mark, saves it, and says what time it is; null before any server answer. */
    async now(): Promise<string | null> {
      const current = await load();
      if (!current) return null;
      const reading = deps.monotonic();
      await save(advancePurgeClock(current, reading));
      return purgeClockAt(current, reading);
    },
  };
}
export type PurgeClock = ReturnType<typeof createPurgeClock>;

export type OfflinePurgeDeps = Readonly<{
  store: LocalStore;
  clock: PurgeClock;
  auditPurge: (notice: PurgeNotice) => void | Promise<void>;
}>;

/**
 * Issue #14: holds that ended while the device had no signal are purged without waiting for a
 * server answer, by the purge clock (never early). The same purge as after a run: audit entry
 * first (no entry, no purge), local writes waiting to be uploaded kept, a purge record the crew
 * sees. Returns how many patients were purged.
 */
export async function purgeExpiredOffline(deps: OfflinePurgeDeps): Promise<number> {
  const at = await deps.clock.now();
  if (!at) return 0; // never heard from the central record: no time to trust
  const scopeRepo = createScopeRepo(deps.store);
  const ctx: PurgeContext = {
    book: createScopeBook(await scopeRepo.all(), scopeRepo, () => at),
    resources: createResourceRepo(deps.store),
    issues: createIssueRepo(deps.store),
    stats: { pages: 0, resources: 0, duplicates: 0, quarantined: 0, deleted: 0, purgedPatients: 0, withheld: 0 },
    serverNow: () => at,
    auditPurge: deps.auditPurge,
  };
  await purgeUnheld(ctx);
  return ctx.stats.purgedPatients;
}

export const purgeClockOf = (store: LocalStore, monotonic: () => MonotonicReading): PurgeClock => createPurgeClock({ state: createSyncStateRepo(store), monotonic });
