import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload } from '../../contract/methods';
import type { UserSummary } from '../../contract/views';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { type LocalStore, openLocalStore } from '../../db/localStore';
import { type ResourceRepo, createResourceRepo } from '../../db/resourceRepo';
import { createFhirClient } from '../../sync/fhirClient';
import { type SyncEngine, createSyncEngine } from '../../sync/syncEngine';
import type { AppConfig } from '../config';
import { type KeyVault, openKeyVault } from '../security/keyVault';
import { type Session, createSessionRegistry } from './sessions';

export const APP_VERSION = '0.1.0';

/** A user this device knows: who they are and how the central record names them. */
export type KnownUser = Readonly<{ summary: UserSummary; practitionerId: string | null }>;

export type AppStateOptions = Readonly<{
  config: AppConfig & { centralUrl: string };
  users: readonly KnownUser[];
  now?: () => Date;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
}>;

type AuditRequest = Readonly<{
  user: UserSummary;
  practitionerId: string | null;
  action: AuditAction;
  patientId: string | null;
  purpose: string | null;
  outcome: 'success' | 'failure';
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
  const now = options.now ?? (() => new Date());
  const vault: KeyVault = openKeyVault(config.dataDir);
  const sessions = createSessionRegistry();
  const deviceId = readDeviceId(config.dataDir);
  let store: LocalStore | null = null;
  let repo: ResourceRepo | null = null;
  let sync: SyncEngine | null = null;
  let timer: NodeJS.Timeout | null = null;

  const requireStore = (): LocalStore => {
    if (!store) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return store;
  };

  function appendAudit(request: AuditRequest) {
    return requireStore().audit.append({
      action: request.action,
      recordedAt: now().toISOString(),
      userId: request.user.userId,
      practitionerId: request.practitionerId,
      role: request.user.role,
      deviceId,
      appVersion: APP_VERSION,
      patientId: request.patientId,
      purpose: request.purpose,
      outcome: request.outcome,
      isOffline: !sync?.status().isOnline,
      lastServerTimeAt: sync?.lastServerTime() ?? null,
    });
  }

  function startSync(openStore: LocalStore, user: KnownUser) {
    const client = createFhirClient({ baseUrl: config.centralUrl, ...(config.centralToken ? { bearerToken: config.centralToken } : {}) });
    repo = createResourceRepo(openStore);
    sync = createSyncEngine({
      client,
      repo,
      vehicle: config.vehicle,
      now,
      onStatus: (status) => emit('sync.changed', status),
      onPulled: (result) => {
        appendAudit({ user: user.summary, practitionerId: user.practitionerId, action: 'sync.batch', patientId: null, purpose: `${result.resources} resources`, outcome: 'success' });
        emit('incidents.changed', {});
      },
    });
    void sync.run();
    timer = setInterval(() => void sync?.run(), config.syncIntervalMs);
    timer.unref();
  }

  async function signIn(userId: string, pin: string): Promise<Session> {
    const user = users.find((u) => u.summary.userId === userId);
    const key = user ? await vault.unlock(userId, pin) : null;
    if (!user || !key) {
      if (store && user) appendAudit({ user: user.summary, practitionerId: user.practitionerId, action: 'login.failed', patientId: null, purpose: null, outcome: 'failure' });
      throw new AppError('wrong-pin', 'That user and PIN do not match. Check the PIN and try again.');
    }
    if (!store) {
      store = await openLocalStore({ directory: config.dataDir, key });
      startSync(store, user);
    }
    appendAudit({ user: user.summary, practitionerId: user.practitionerId, action: 'login', patientId: null, purpose: null, outcome: 'success' });
    return sessions.start(user.summary, user.practitionerId, now());
  }

  return {
    config,
    users,
    sessions,
    now,
    vault,
    signIn,
    appendAudit,
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
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await sync?.stop();
      const closing = store;
      store = null;
      await closing?.close();
    },
  };
}
export type AppState = ReturnType<typeof createAppState>;
