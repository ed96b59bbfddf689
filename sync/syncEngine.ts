import type { PurgedItemView, SyncConflictView, SyncStatus } from '../core/views';
import type { ConflictVersions } from '../core/conflictText';
import { AppError } from '../core/errors';
import { type IssueRepo, createIssueRepo } from '../db/issueRepo';
import type { LocalStore } from '../db/localStore';
import { type OutboxRepo, createOutboxRepo } from '../db/outboxRepo';
import { createResourceRepo } from '../db/resourceRepo';
import { createSyncStateRepo } from '../db/syncStateRepo';
import type { AreaConfig } from './areaRules';
import type { MonotonicReading } from '../core/purgeClock';
import type { PatientQuery } from '../core/patientSearchViews';
import type { Patient } from '@medplum/fhirtypes';
import { searchCentralPatients } from './demographicSearch';
import { type ClientStats, type FhirClient, FhirClientError } from './fhirClient';
import { processMonotonic, purgeClockOf, purgeExpiredOffline } from './offlinePurge';
import { findPatientIdsByNhsNumber } from './onlineSearch';
import { INITIAL, clockFailure, failureOf, readCounts, successStatus } from './engineStatus';
import { createLocalWrites } from './outbox';
import type { PullStats, PurgeNotice } from './syncContext';
import { type ConflictChoice, conflictVersions, conflictView, purgedView, resolveConflict } from './syncReview';
import { type RunDeps, type RunResult, runSync, searchRequestKey } from './syncRun';

/** What the app is told after each successful run (e.g. to write the sync-batch audit entry). */
export type PullResult = Readonly<{ serverTime: string; resources: number; pushed: number; conflicts: number; stats: PullStats }>;

/** What the central record answered to an exact NHS number search; offline means "not asked". */
export type CentralSearch = Readonly<{ isOnline: false }> | Readonly<{ isOnline: true; patientIds: string[] }>;
/** What the central record answered to a demographic search (issue #13); offline means "not asked". */
export type CentralPatients = Readonly<{ isOnline: false }> | Readonly<{ isOnline: true; patients: Patient[] }>;

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
  /**
   * The monotonic clock the offline purge counts elapsed time on (core/purgeClock.ts), with the
   * boot it belongs to; default: this process only (no credit for time the app was closed).
   */
  monotonic?: () => MonotonicReading;
}>;

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
  const purgeClock = purgeClockOf(deps.store, deps.monotonic ?? processMonotonic());
  /** A time the central record gave (never the device's): the offline purge counts from it. */
  const heardFromServer = async (at: string | null | undefined) => {
    if (at) await purgeClock.anchor(at);
  };

  /**
   * Issue #14: without a completed run (no signal, a server error, a 401) expired holds are still
   * purged, by the purge clock, audited first. Never alongside a run (it is called inside one);
   * a failure here is logged by kind and retried on the next tick: nothing was removed unaudited.
   */
  async function purgeWhileUnsynced(): Promise<void> {
    try {
      const purged = await purgeExpiredOffline({ store: deps.store, clock: purgeClock, auditPurge: (notice) => deps.onPurge?.(notice) });
      if (purged > 0) set(await counts());
    } catch (error) {
      console.error(`offline purge failed: ${error instanceof AppError ? error.code : error instanceof Error ? error.name : typeof error}`);
    }
  }

  async function runOnce(): Promise<SyncStatus> {
    const at = deps.now().toISOString();
    if (isAuthBlocked) {
      // No loop on 401: nothing is sent until the user signs in again; expiry does not wait for that.
      await purgeWhileUnsynced();
      return status;
    }
    set({ state: 'syncing', lastAttemptAt: at, progress: { done: 0, total: null, phase: 'Connecting to the central record' }, ...(await counts()) });
    let pulled: PullResult | null = null;
    try {
      if (!status.lastSuccessAt) {
        const saved = (await state.get('last-success'))?.at;
        if (typeof saved === 'string') set({ lastSuccessAt: saved });
      }
      // Server time from the Date header; only a server that sends none leaves us the device clock.
      const serverDate = await deps.client.probe();
      await heardFromServer(serverDate);
      const probedAt = serverDate || deps.now().toISOString();
      serverTime = probedAt;
      set({ isOnline: true });
      if (!isReapplied) await writes.reapply();
      isReapplied = true;
      const result = await runSync(runDeps(deps, (progress, scopes) => set({ progress, scopes })), probedAt);
      lastRun = result;
      serverTime = result.serverTime;
      if (serverDate) await heardFromServer(result.serverTime);
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
      await purgeWhileUnsynced();
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

  /**
   * One question to the central record outside a run (a search): a quick probe first (3 s, no
   * retries), so no signal answers at once; an unreachable server is then shown as offline on
   * the status strip (issue #14: it said "Online" after a search found no signal). Nothing is
   * sent while stopped or after a 401. Throws FhirClientError (auth, server-error, bad-data).
   */
  async function askCentral<T>(ask: () => Promise<T>): Promise<Readonly<{ isOnline: false }> | Readonly<{ isOnline: true; value: T }>> {
    if (isStopped) return { isOnline: false };
    if (isAuthBlocked) throw new FhirClientError('auth', null);
    try {
      const probed = await deps.client.probe();
      serverTime = probed || serverTime;
      await heardFromServer(probed);
      return { isOnline: true, value: await ask() };
    } catch (error) {
      if (!(error instanceof FhirClientError)) throw error;
      if (error.reason === 'auth') {
        // As in a run: no loop on 401, and the status says why syncing stopped.
        isAuthBlocked = true;
        if (!running) set({ state: 'error', lastFailure: { ...failureOf(error), at: deps.now().toISOString() } });
      }
      if (error.reason !== 'offline') throw error;
      // A run in flight reports its own state; otherwise the status strip now says offline, and why.
      if (!running) set({ state: 'offline', isOnline: false, lastFailure: { ...failureOf(error), at: deps.now().toISOString() } });
      return { isOnline: false };
    }
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
    /** Scope 3, step one: which central Patients hold exactly this NHS number (see askCentral). */
    async searchCentral(nhsNumber: string): Promise<CentralSearch> {
      const answer = await askCentral(() => findPatientIdsByNhsNumber(deps.client, nhsNumber));
      return answer.isOnline ? { isOnline: true, patientIds: answer.value } : { isOnline: false };
    },
    /** Issue #13 demographic search on the central record (see askCentral); nothing is cached. */
    async searchPatients(query: PatientQuery): Promise<CentralPatients> {
      const answer = await askCentral(() => searchCentralPatients(deps.client, query, deps.now()));
      return answer.isOnline ? { isOnline: true, patients: answer.value } : { isOnline: false };
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
    /** Both versions of one open conflict, for review; null when it is resolved or unknown. */
    async conflict(conflictId: string): Promise<ConflictVersions | null> {
      const issue = await issues.get(conflictId);
      return issue && issue.kind === 'conflict' && issue.state === 'open' ? conflictVersions(issue) : null;
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
