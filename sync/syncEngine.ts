import type { SyncStatus } from '../contract/views';
import { FhirClientError } from './fhirClient';
import { type PullResult, pullAssigned, type PullAssignedDeps } from './pullAssigned';

export type SyncEngineDeps = Omit<PullAssignedDeps, 'onProgress'> &
  Readonly<{
    now: () => Date;
    onStatus: (status: SyncStatus) => void;
    /** Called after each successful run, e.g. to write the sync-batch audit entry. */
    onPulled: (result: PullResult, isOnline: boolean) => void;
  }>;

export type SyncEngine = Readonly<{
  status(): SyncStatus;
  /** Runs one sync; if one is already running, waits for that one instead of starting another. */
  run(): Promise<SyncStatus>;
  /** Server time of the last successful answer, for audit skew checks. */
  lastServerTime(): string | null;
  /** Refuses new runs and waits for the one in flight, so the store can close under no writer. */
  stop(): Promise<void>;
}>;

const INITIAL: SyncStatus = {
  state: 'idle',
  isOnline: false,
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastFailure: null,
  progress: { done: 0, total: null, phase: 'Not synced yet' },
};

/** Never two syncs at once; every failure carries a typed, plain-language reason. */
export function createSyncEngine(deps: SyncEngineDeps, restored?: Partial<SyncStatus>): SyncEngine {
  let status: SyncStatus = { ...INITIAL, ...restored };
  let running: Promise<SyncStatus> | null = null;
  let serverTime: string | null = null;
  let isStopped = false;
  const set = (next: Partial<SyncStatus>) => {
    status = { ...status, ...next };
    deps.onStatus(status);
  };

  async function runOnce(): Promise<SyncStatus> {
    const at = deps.now().toISOString();
    set({ state: 'syncing', lastAttemptAt: at, progress: { done: 0, total: null, phase: 'Connecting to the central record' } });
    try {
      const result = await pullAssigned({ ...deps, onProgress: (progress) => set({ progress }) });
      serverTime = result.serverTime || serverTime;
      set({ state: 'idle', isOnline: true, lastSuccessAt: result.serverTime || at, lastFailure: null });
      deps.onPulled(result, true);
    } catch (error) {
      const reason = error instanceof FhirClientError ? error.reason : 'storage';
      const message =
        error instanceof FhirClientError ? error.message : 'The local database could not store what was received. Cached data is unchanged.';
      set({
        state: reason === 'offline' ? 'offline' : 'error',
        isOnline: reason !== 'offline',
        lastFailure: { reason, message, at },
        progress: { ...status.progress, phase: 'Stopped' },
      });
    }
    return status;
  }

  return {
    status: () => status,
    run() {
      if (isStopped) return Promise.resolve(status);
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
    lastServerTime: () => serverTime,
    async stop() {
      isStopped = true;
      await running;
    },
  };
}
