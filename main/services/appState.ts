import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload } from '../../contract/methods';
import type { UserSummary } from '../../contract/views';
import { AppError } from '../../core/errors';
import { type LocalStore, openLocalStore } from '../../db/localStore';
import { type ResourceRepo, createResourceRepo } from '../../db/resourceRepo';
import { createFhirClient } from '../../sync/fhirClient';
import { readAreaConfig } from '../../sync/areaRules';
import { type SyncEngine, createSyncEngine } from '../../sync/syncEngine';
import type { SyncStatus } from '../../contract/views';
import type { AppConfig } from '../config';
import type { KeyProtector } from '../security/keyProtector';
import { type KeyVault, openKeyVault } from '../security/keyVault';
import { readSecurityPolicy } from '../security/securityPolicy';
import { type AuditRequest, SYSTEM_USER_ID, createAuditService } from './auditService';
import { type AuditedActor, createSessionSecurity } from './sessionSecurity';
import { type Session, createSessionRegistry } from './sessions';

export const APP_VERSION = '0.1.0';

/** A user this device knows: who they are and how the central record names them. */
export type KnownUser = Readonly<{ summary: UserSummary; practitionerId: string | null }>;

export type AppStateOptions = Readonly<{
  config: AppConfig & { centralUrl: string };
  users: readonly KnownUser[];
  now?: () => Date;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  /** Electron: safeStorage seals the key file too (issue #4). The web shell has none. */
  keyProtector?: KeyProtector | null;
  /** The crews' organisation (FHIR Organization id), named in every audit entry (issue #3). */
  organizationId?: string | null;
  /** Operational log lines (never PHI): e.g. a remote-wipe check that failed. */
  log?: (line: string) => void;
}>;

function readDeviceId(dataDir: string): string {
  const file = path.join(dataDir, 'device-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = `onscene-${randomUUID()}`;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, id, { mode: 0o600 });
  return id;
}

/**
 * Everything the services share: the key vault, the local store (opened by the first sign-in,
 * because only a user's PIN unwraps its key), the sync engine and the sessions.
 */
export function createAppState(options: AppStateOptions) {
  const { config, users, emit } = options;
  const log = options.log ?? ((line: string) => console.error(`[onscene] ${line}`));
  const now = options.now ?? (() => new Date());
  const vault: KeyVault = openKeyVault(config.dataDir, options.keyProtector ?? null);
  const policy = readSecurityPolicy(process.env);
  const sessions = createSessionRegistry({ now, idleLockMs: () => policy.idleLockMs });
  const deviceId = readDeviceId(config.dataDir);
  let store: LocalStore | null = null;
  /** The store being opened: a second sign-in waits for it instead of opening the file again. */
  let opening: Promise<void> | null = null;
  let repo: ResourceRepo | null = null;
  let sync: SyncEngine | null = null;
  let timer: NodeJS.Timeout | null = null;

  const requireStore = (): LocalStore => {
    if (!store) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return store;
  };

  // Issue #3: entries get device, organisation, offline flag and clock; delivery runs inside each sync, after the incident scope.
  const audit = createAuditService({
    deviceId,
    appVersion: APP_VERSION,
    organizationId: options.organizationId ?? null,
    now,
    log: () => store?.audit ?? null,
    isOnline: () => Boolean(sync?.status().isOnline),
    lastSyncServerTime: () => sync?.lastServerTime() ?? null,
    central: { baseUrl: config.centralUrl, bearerToken: config.centralToken },
  });
  /** Durable before it returns (its own fsync); throws AppError, and the caller then returns no data. */
  function appendAudit(request: AuditRequest) {
    requireStore();
    return audit.appendNow(request);
  }

  /**
   * Sync batches and purges are device work on a timer, not a user's action. They are recorded under
   * the user at the keyboard (the most recently active unlocked session), because that is who a
   * reviewer asks about ("what arrived or left while you were using it"); with nobody signed in they
   * are the device's own, user id SYSTEM_USER_ID. Every entry also names the device. Not the first
   * user to unlock the store: they may have signed out hours ago.
   */
  function backgroundActor(): AuditedActor {
    const session = sessions.mostRecentlyActive();
    return session ? { summary: session.user, practitionerId: session.practitionerId } : { summary: { userId: SYSTEM_USER_ID, role: null }, practitionerId: null };
  }

  let wipeCheckFailures = 0;
  let scopeUploads = 0;

  /**
   * One record sync with audit delivery. The engine uploads audit after the incident scope
   * (safety tier first on weak signal); when the run stops before that point (offline, 401, an
   * error), it is uploaded afterwards, so audit upload never starves. audit.upload never throws.
   */
  async function syncWithAudit(engine: SyncEngine, startAfterCurrent = false): Promise<SyncStatus> {
    const before = scopeUploads;
    const status = await (startAfterCurrent ? engine.runAfterCurrent() : engine.run());
    if (scopeUploads === before) await audit.upload();
    return status;
  }

  function startSync(openStore: LocalStore) {
    const client = createFhirClient({ baseUrl: config.centralUrl, ...(config.centralToken ? { bearerToken: config.centralToken } : {}) });
    repo = createResourceRepo(openStore);
    sync = createSyncEngine({
      client,
      store: openStore,
      vehicle: config.vehicle,
      ...(config.incidentGraceMs === undefined ? {} : { incidentGraceMs: config.incidentGraceMs }),
      area: readAreaConfig(process.env), // issue #6: scope 2, the operating area (null when not configured)
      now,
      // Issue #6: no entry, no purge; the reason and count carry no PHI.
      onPurge: (notice) => {
        const actor = backgroundActor();
        appendAudit({ user: actor.summary, practitionerId: actor.practitionerId, action: 'purge', patientId: notice.patientId, purpose: notice.reason, outcome: 'success' });
      },
      onStatus: (status) => emit('sync.changed', status),
      afterIncidentScope: async () => {
        await audit.upload(); // bounded (sync/auditUpload.ts) and never throws
        scopeUploads++;
      },
      onPulled: (result) => {
        const actor = backgroundActor();
        appendAudit({ user: actor.summary, practitionerId: actor.practitionerId, action: 'sync.batch', patientId: null, purpose: `${result.resources} resources`, outcome: 'success' });
        emit('incidents.changed', {});
        // Issue #4: a wipe instruction arrives with a sync. A rejection here would be unhandled and
        // end the process, so it is caught and logged by kind only (no PHI); the next sync asks again.
        security.checkRemoteWipe(deviceId, actor).catch((error: unknown) => {
          wipeCheckFailures++;
          log(`remote wipe check failed (${error instanceof AppError ? error.code : 'unexpected error'}); the next sync asks again`);
        });
      },
    });
    // Background: a rejection must not become an unhandled one (it would end the process); logged by kind only.
    const tick = () => {
      if (!sync) return;
      syncWithAudit(sync).catch((error: unknown) => log(`background sync failed (${error instanceof AppError ? error.code : 'unexpected error'})`));
    };
    tick();
    timer = setInterval(tick, config.syncIntervalMs);
    timer.unref();
  }

  /** Two sign-ins at once share one open: the second waits for the first instead of opening the file twice. */
  async function openStore(key: string) {
    if (store) return;
    opening ??= (async () => {
      const opened = await openLocalStore({ directory: config.dataDir, key });
      store = opened;
      startSync(opened);
    })().finally(() => {
      opening = null;
    });
    await opening;
  }

  async function closeStore() {
    await opening?.catch(() => undefined); // never close under an open in progress
    if (timer) clearInterval(timer);
    timer = null;
    await audit.stop();
    await sync?.stop();
    sync = null;
    const closing = store;
    store = null;
    await closing?.close();
  }

  // Sign-in gates, lock/unlock, recovery and remote wipe live in sessionSecurity.ts (issue #4).
  const security = createSessionSecurity({
    config,
    users,
    now,
    vault,
    sessions,
    openStore,
    closeStore,
    currentStore: () => store,
    appendAudit,
    appendAuditOrDefer: (request) => audit.appendOrDefer(request),
    policy,
  });
  async function signIn(userId: string, pin: string, mode?: 'offline' | 'online'): Promise<Session> {
    const session = await security.signIn(userId, pin, mode);
    // A 401 from the central record pauses sync until an online sign-in proves the user again.
    if (mode === 'online') sync?.reauthenticated();
    return session;
  }

  return {
    config,
    users,
    sessions,
    now,
    vault,
    signIn,
    security,
    deviceId,
    appendAudit,
    /** Group commit: resolves once durable; await it before any data leaves main. */
    appendAuditAsync: (request: AuditRequest) => audit.append(request),
    audit,
    store: requireStore,
    repo: (): ResourceRepo => {
      requireStore();
      return repo as ResourceRepo;
    },
    sync: (): SyncEngine | null => sync,
    requireSync: (): SyncEngine => {
      if (!sync) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      return sync;
    },
    /** sync.run: one record sync with audit delivery (see syncWithAudit). */
    syncNow: (): Promise<SyncStatus> => {
      if (!sync) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      return syncWithAudit(sync);
    },
    /** Like syncNow, but a run that starts after this call, so search holds recorded just before are in it (patients.lookup). */
    syncIncludingNewHolds: (): Promise<SyncStatus> => {
      if (!sync) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      return syncWithAudit(sync, true);
    },
    /** Remote-wipe checks that failed since start (logged without PHI). */
    wipeCheckFailures: (): number => wipeCheckFailures,
    close: closeStore,
  };
}
export type AppState = ReturnType<typeof createAppState>;
