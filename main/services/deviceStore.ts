import type { SyncStatus } from '../../core/views';
import { AppError } from '../../core/errors';
import { type LocalStore, openLocalStore } from '../../db/localStore';
import { type ResourceRepo, createResourceRepo } from '../../db/resourceRepo';
import type { FhirClient } from '../../sync/fhirClient';
import type { PurgeNotice } from '../../sync/syncContext';
import { type PullResult, type SyncEngine, createSyncEngine } from '../../sync/syncEngine';
import type { AppConfig } from '../config';
import type { AuditPort } from './auditPort';
import { watchRecordChanges } from '../../db/recordChanges';
import type { AuditedActor } from './sessionSecurity';
import { hostMonotonic } from './monotonicClock';
import { jitteredIntervalMs } from '../../sync/retry';

export type DeviceStoreDeps = Readonly<{
  config: AppConfig;
  client: FhirClient;
  now: () => Date;
  audit: AuditPort;
  /** Bounded delivery of the audit trail (never throws); run inside each sync after the incident scope. */
  uploadAudit: () => Promise<unknown>;
  /** Sends the audit chain head to the central record (one small request); never throws. */
  anchorAudit: () => Promise<unknown>;
  /** Renews access tokens close to expiry before each sync. */
  beforeSync: () => Promise<void>;
  /** Who device work is recorded under: the user at the keyboard, or the device. */
  backgroundActor: () => AuditedActor;
  onStatus: (status: SyncStatus) => void;
  /** After each successful pull (e.g. tell the UI, ask about remote wipe). */
  afterPull: (actor: AuditedActor) => void;
  /** Issue #11: patients whose cached record content changed (for a live record screen). */
  onRecordChanged?: (patientIds: readonly string[]) => void;
  log: (line: string) => void;
}>;

const LOCKED = 'The device is locked. Sign in to unlock it.';

/**
 * The encrypted local store and the sync engine on it: opened by the first sign-in (only a
 * user's PIN unwraps the key), closed at wipe or shutdown. Background sync runs on a timer.
 */
export function createDeviceStore(deps: DeviceStoreDeps) {
  const { config, now } = deps;
  let store: LocalStore | null = null;
  /** The store being opened: a second sign-in waits for it instead of opening the file again. */
  let opening: Promise<void> | null = null;
  let repo: ResourceRepo | null = null;
  let sync: SyncEngine | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopWatching: (() => void) | null = null;
  let scopeUploads = 0;
  /** Sync-batch entries being written: a run answers only once its own entry is on disk. */
  const batchAudits = new Set<Promise<void>>();

  const actorRequest = (action: 'purge' | 'sync.batch', patientId: string | null, purpose: string) => {
    const actor = deps.backgroundActor();
    return { user: actor.summary, practitionerId: actor.practitionerId, action, patientId, purpose, outcome: 'success' as const };
  };

  /**
   * One record sync with audit delivery. The engine uploads audit after the incident scope
   * (safety tier first on weak signal); when the run stops before that point (offline, 401, an
   * error), it is uploaded afterwards, so audit upload never starves.
   */
  async function syncWithAudit(engine: SyncEngine, startAfterCurrent = false): Promise<SyncStatus> {
    const before = scopeUploads;
    await deps.beforeSync();
    // The anchor goes alongside the run, not before it: a dead link must not hold the probe up.
    const anchoring = deps.anchorAudit();
    const status = await (startAfterCurrent ? engine.runAfterCurrent() : engine.run());
    await Promise.all([...batchAudits, anchoring]);
    if (scopeUploads === before) await deps.uploadAudit();
    return status;
  }

  function startSync(openStore: LocalStore) {
    repo = createResourceRepo(openStore);
    sync = createSyncEngine({
      client: deps.client,
      store: openStore,
      vehicle: config.vehicle,
      ...(config.incidentGraceMs === undefined ? {} : { incidentGraceMs: config.incidentGraceMs }),
      area: config.area,
      now,
      // Issue #14: expired holds are purged offline by the last server time plus proven elapsed time.
      monotonic: hostMonotonic(),
      // No entry, no purge; the reason and count carry no PHI.
      onPurge: (notice: PurgeNotice) => deps.audit.durableBeforeAnswer(actorRequest('purge', notice.patientId, notice.reason)),
      onStatus: deps.onStatus,
      afterIncidentScope: async () => {
        await deps.uploadAudit();
        scopeUploads++;
      },
      onPulled: (result: PullResult) => {
        // A batch whose entry could not be written is logged by kind; the data is already on the device.
        const writing = deps.audit
          .durableBeforeAnswer(actorRequest('sync.batch', null, `${result.resources} resources`))
          .catch((error: unknown) => deps.log(`sync batch audit failed (${error instanceof AppError ? error.code : 'unexpected error'})`))
          .finally(() => batchAudits.delete(writing));
        batchAudits.add(writing);
        deps.afterPull(deps.backgroundActor());
      },
    });
    // Background: a rejection must not become an unhandled one (it would end the process); logged by kind only.
    const tick = () => {
      if (!sync) return;
      syncWithAudit(sync).catch((error: unknown) => deps.log(`background sync failed (${error instanceof AppError ? error.code : 'unexpected error'})`));
    };
    tick();
    // Re-armed each time with ±10% jitter (issue #18): a fleet that regained signal together drifts apart.
    const schedule = () => {
      const next = setTimeout(() => {
        tick();
        if (sync) schedule();
      }, jitteredIntervalMs(config.syncIntervalMs, Math.random));
      next.unref();
      timer = next;
    };
    schedule();
  }

  const requireSync = (): SyncEngine => {
    if (!sync) throw new AppError('unauthenticated', LOCKED);
    return sync;
  };

  return {
    /** Two sign-ins at once share one open: the second waits for the first instead of opening the file twice. */
    async open(key: string): Promise<void> {
      if (store) return;
      opening ??= (async () => {
        const opened = await openLocalStore({ directory: config.dataDir, key, ...(config.storeName ? { name: config.storeName } : {}) });
        store = opened;
        const notify = deps.onRecordChanged;
        if (notify) stopWatching = watchRecordChanges(opened, { onChanged: notify });
        startSync(opened);
      })().finally(() => {
        opening = null;
      });
      await opening;
    },
    async close(): Promise<void> {
      await opening?.catch(() => undefined); // never close under an open in progress
      if (timer) clearTimeout(timer);
      timer = null;
      stopWatching?.();
      stopWatching = null;
      await sync?.stop();
      sync = null;
      const closing = store;
      store = null;
      repo = null;
      await closing?.close();
    },
    current: (): LocalStore | null => store,
    repo(): ResourceRepo {
      if (!repo) throw new AppError('unauthenticated', LOCKED);
      return repo;
    },
    sync: (): SyncEngine | null => sync,
    requireSync,
    isOnline: (): boolean => Boolean(sync?.status().isOnline),
    /** sync.run: one record sync with audit delivery. */
    syncNow: (): Promise<SyncStatus> => syncWithAudit(requireSync()),
    /** A run that starts after this call, so search holds recorded just before are in it (patients.lookup). */
    syncIncludingNewHolds: (): Promise<SyncStatus> => syncWithAudit(requireSync(), true),
  };
}
export type DeviceStore = ReturnType<typeof createDeviceStore>;
