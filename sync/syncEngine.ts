import type { PurgedItemView, SyncConflictView, SyncStatus } from '../core/views';
import { AppError } from '../core/errors';
import { type IssueRepo, createIssueRepo } from '../db/issueRepo';
import type { LocalStore } from '../db/localStore';
import { type OutboxRepo, createOutboxRepo } from '../db/outboxRepo';
import { createResourceRepo } from '../db/resourceRepo';
import { createSyncStateRepo } from '../db/syncStateRepo';
import type { AreaConfig } from './areaRules';
import { type ClientStats, type FhirClient, FhirClientError } from './fhirClient';
import { findPatientIdsByNhsNumber } from './onlineSearch';
import { createLocalWrites } from './outbox';
import type { PullStats, PurgeNotice } from './syncContext';
import { type ConflictChoice, conflictView, purgedView, resolveConflict } from './syncReview';
import { type RunDeps, type RunResult, runSync, searchRequestKey } from './syncRun';

/** What the app is told after each successful run (e.g. to write the sync-batch audit entry). */
export type PullResult = Readonly<{ serverTime: string; resources: number; pushed: number; conflicts: number; stats: PullStats }>;

/** What the central record answered to an exact NHS number search; offline means "not asked". */
export type CentralSearch = Readonly<{ isOnline: false }> | Readonly<{ isOnline: true; patientIds: string[] }>;

export type SyncEngineDeps = Readonly<{
  client: FhirClient;
  store: LocalStore;
  vehicle: string;
  /** Scope 2; null or no districts: the area caseload is not synced. */
  area?: AreaConfig | null;
  pageSize?: number;
  pushBatchSize?: number;
  now: () => Date;
  onStatus: (status: SyncStatus) => void;
  onPulled: (result: PullResult, isOnline: boolean) => void;
  /** Writes the purge audit entry before anything is removed; throwing refuses the purge. */
  onPurge?: (notice: PurgeNotice) => void | Promise<void>;
  afterIncidentScope?: () => Promise<void>;
  /** A device clock further than this from the server's is reported (freshness depends on it). */
  clockSkewLimitMs?: number;
  /** Overrides the incident exit grace period (INCIDENT_EXIT_GRACE_MS); for tests. */
  incidentGraceMs?: number;
}>;

const INITIAL: SyncStatus = {
  state: 'idle',
  isOnline: false,
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastFailure: null,
  progress: { done: 0, total: null, phase: 'Not synced yet' },
  scopes: [],
  pendingUploads: 0,
  quarantined: 0,
  conflicts: 0,
  recentlyPurged: 0,
};

const WEEK_MS = 7 * 86_400_000;

function failureOf(error: unknown): Readonly<{ reason: NonNullable<SyncStatus['lastFailure']>['reason']; message: string }> {
  if (error instanceof FhirClientError) {
    // A page the server keeps refusing as unreadable is a server problem from the crew's point of view.
    if (error.reason === 'bad-data') return { reason: 'server-error', message: 'The central record gave an answer OnScene could not use. OnScene will try again later.' };
    return { reason: error.reason, message: error.message };
  }
  return { reason: 'storage', message: 'The local database could not store what was received. Cached data is unchanged.' };
}

/** What the status strip counts: uploads waiting, items set aside, conflicts, recent purges. */
async function readCounts(outbox: OutboxRepo, issues: IssueRepo, now: Date): Promise<Partial<SyncStatus>> {
  const since = new Date(now.getTime() - WEEK_MS).toISOString();
  const purged = (await issues.list('purged', 'info', 500)).filter((i) => i.at >= since).length;
  return {
    pendingUploads: await outbox.count(),
    quarantined: (await issues.count('quarantined-in', 'open')) + (await issues.count('rejected-out', 'open')),
    conflicts: await issues.count('conflict', 'open'),
    recentlyPurged: purged,
  };
}

/** A device clock far from the server's makes "last confirmed" times wrong: say so. */
function clockFailure(deviceNow: Date, serverAt: string, limitMs: number, at: string): SyncStatus['lastFailure'] {
  const skewMs = Math.abs(deviceNow.getTime() - Date.parse(serverAt));
  if (!(skewMs > limitMs)) return null;
  const minutes = Math.round(skewMs / 60_000);
  return { reason: 'clock', message: `This device's clock is about ${minutes} minutes different from the central record's. Correct the date and time settings.`, at };
}

/** The outcome of a successful run as status: a conflict or a wrong clock still needs the user's attention. */
function successStatus(result: RunResult, failure: SyncStatus['lastFailure'], at: string): Partial<SyncStatus> {
  const conflict = result.push.conflicts > 0
    ? { reason: 'conflict' as const, message: `${result.push.conflicts} of your changes met a newer version on the central record. Both versions are kept for a clinician to review.`, at }
    : null;
  const lastFailure = conflict ?? failure;
  return { state: lastFailure ? 'error' : 'idle', isOnline: true, lastSuccessAt: result.serverTime, lastFailure };
}

function runDeps(deps: SyncEngineDeps, onProgress: RunDeps['onProgress']): RunDeps {
  return {
    client: deps.client,
    store: deps.store,
    vehicle: deps.vehicle,
    area: deps.area ?? null,
    pageSize: deps.pageSize ?? 500,
    pushBatchSize: deps.pushBatchSize ?? 50,
    onProgress,
    auditPurge: (notice) => deps.onPurge?.(notice),
    ...(deps.afterIncidentScope ? { afterIncidentScope: deps.afterIncidentScope } : {}),
    ...(deps.incidentGraceMs === undefined ? {} : { incidentGraceMs: deps.incidentGraceMs }),
  };
}

/** Never two syncs at once; every failure carries a typed, plain-language reason; a 401 stops until the user signs in again. */
export function createSyncEngine(deps: SyncEngineDeps, restored?: Partial<SyncStatus>) {
  let status: SyncStatus = { ...INITIAL, ...restored };
  let running: Promise<SyncStatus> | null = null;
  let serverTime: string | null = null;
  let isStopped = false;
  let isAuthBlocked = false;
  let lastRun: RunResult | null = null;
  const outbox = createOutboxRepo(deps.store);
  const issues = createIssueRepo(deps.store);
  const state = createSyncStateRepo(deps.store);
  const writes = createLocalWrites({ outbox, resources: createResourceRepo(deps.store), now: deps.now });
  let isReapplied = false;
  const set = (next: Partial<SyncStatus>) => {
    status = { ...status, ...next };
    deps.onStatus(status);
  };

  const counts = () => readCounts(outbox, issues, deps.now());

  async function runOnce(): Promise<SyncStatus> {
    const at = deps.now().toISOString();
    if (isAuthBlocked) return status; // no loop on 401: nothing is sent until the user signs in again
    set({ state: 'syncing', lastAttemptAt: at, progress: { done: 0, total: null, phase: 'Connecting to the central record' }, ...(await counts()) });
    let pulled: PullResult | null = null;
    try {
      if (!status.lastSuccessAt) {
        const saved = (await state.get('last-success'))?.at;
        if (typeof saved === 'string') set({ lastSuccessAt: saved });
      }
      // Server time from the Date header; only a server that sends none leaves us the device clock.
      const probedAt = (await deps.client.probe()) || deps.now().toISOString();
      serverTime = probedAt;
      set({ isOnline: true });
      if (!isReapplied) await writes.reapply();
      isReapplied = true;
      const result = await runSync(runDeps(deps, (progress, scopes) => set({ progress, scopes })), probedAt);
      lastRun = result;
      serverTime = result.serverTime;
      await state.put('last-success', { at: result.serverTime });
      set({ ...successStatus(result, clockFailure(deps.now(), probedAt, deps.clockSkewLimitMs ?? 5 * 60_000, at), at), ...(await counts()) });
      pulled = { serverTime: result.serverTime, resources: result.stats.resources, pushed: result.push.pushed, conflicts: result.push.conflicts, stats: result.stats };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.reason === 'auth') isAuthBlocked = true;
      set({
        state: failure.reason === 'offline' ? 'offline' : 'error',
        isOnline: failure.reason !== 'offline',
        lastFailure: { ...failure, at },
        progress: { ...status.progress, phase: 'Stopped' },
        ...(await counts().catch(() => ({}))),
      });
    }
    // Outside the try: the data is already committed, so a failing listener (the sync-batch audit
    // entry) must not turn a good run into a "storage" failure and send the crew to stale data.
    if (pulled) {
      try {
        deps.onPulled(pulled, true);
      } catch (error) {
        // Logged by kind only (a message might carry PHI); the committed data and the status stand.
        console.error(`onPulled failed after a successful sync: ${error instanceof Error ? error.name : typeof error}`);
      }
    }
    return status;
  }

  /** Runs one sync; if one is already running, waits for that one instead of starting another. */
  function run(): Promise<SyncStatus> {
    if (isStopped) return Promise.resolve(status);
    running ??= runOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    status: (): SyncStatus => status,
    run,
    /**
     * A run that starts after this call: a run already in flight read the search holds at its
     * start, so it is waited for and the next one is started (or joined, still never two at once).
     */
    async runAfterCurrent(): Promise<SyncStatus> {
      await running?.catch(() => undefined);
      return run();
    },
    /**
     * Scope 3, step one: which central Patients hold exactly this NHS number. A quick probe first
     * (3 s, no retries), so a lookup without signal answers from the cache at once instead of
     * waiting out the retries; an unreachable server is then shown as offline. Nothing is sent
     * while stopped or after a 401 (until the user signs in online again). Throws FhirClientError
     * (auth, server-error, bad-data; never PHI); a drop after the probe counts as offline.
     */
    async searchCentral(nhsNumber: string): Promise<CentralSearch> {
      if (isStopped) return { isOnline: false };
      if (isAuthBlocked) throw new FhirClientError('auth', null);
      try {
        serverTime = (await deps.client.probe()) || serverTime;
        return { isOnline: true, patientIds: await findPatientIdsByNhsNumber(deps.client, nhsNumber) };
      } catch (error) {
        if (!(error instanceof FhirClientError)) throw error;
        if (error.reason === 'auth') {
          // As in a run: no loop on 401, and the status says why syncing stopped.
          isAuthBlocked = true;
          if (!running) set({ state: 'error', lastFailure: { ...failureOf(error), at: deps.now().toISOString() } });
        }
        if (error.reason !== 'offline') throw error;
        // A run in flight reports its own state; otherwise the status strip now says offline.
        if (!running) set({ isOnline: false });
        return { isOnline: false };
      }
    },
    /** Server time of the last successful answer, for audit skew checks. */
    lastServerTime: (): string | null => serverTime,
    /** The last run's counters (pages, duplicates...) and the client's bytes and retries. */
    lastRun: (): RunResult | null => lastRun,
    clientStats: (): ClientStats => deps.client.stats(),
    /** After the user signed in online again: a 401 no longer blocks runs. */
    reauthenticated(): void {
      isAuthBlocked = false;
    },
    /** Records a resource made on this device; it is pushed by the next run. Returns its key. */
    async recordLocal(resource: unknown): Promise<string> {
      if (isStopped) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      const key = await writes.record(resource);
      set(await counts());
      return key;
    },
    /** Scope 3: keeps a patient opened through online search, fetched whole by the next run. */
    async holdForSearch(patientId: string, holdMs?: number): Promise<void> {
      await state.put(searchRequestKey(patientId), { at: deps.now().toISOString(), ...(holdMs === undefined ? {} : { holdMs }) });
    },
    async conflicts(): Promise<SyncConflictView[]> {
      return (await issues.list('conflict', 'open')).map(conflictView);
    },
    async resolveConflict(conflictId: string, choice: ConflictChoice): Promise<void> {
      await resolveConflict(issues, writes, conflictId, choice);
      set(await counts());
    },
    async purged(limit = 100): Promise<PurgedItemView[]> {
      return (await issues.list('purged', 'info', limit)).map(purgedView);
    },
    /** Refuses new runs and waits for the one in flight, so the store can close under no writer. */
    async stop(): Promise<void> {
      isStopped = true;
      await running;
    },
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
