import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload } from '../contract/methods';
import { AppError } from '../core/errors';
import { FhirClientError, createFhirClient } from '../sync/fhirClient';
import type { AppConfig } from './config';
import { type Dispatch, createDispatcher } from './dispatch';
import { createHandlers } from './handlers/index';
import { createRecordAccess } from './handlers/recordAccess';
import { createTriageService } from './services/triageService';
import type { Services } from './handlers/services';
import { createAccessTokens } from './identity/accessTokens';
import { createOidcSignIn } from './identity/oidcSignIn';
import { createOnlineSignIn } from './identity/onlineSignIn';
import { openUserDirectory } from './identity/userDirectory';
import type { KeyProtector } from './security/keyProtector';
import { openKeyVault } from './security/keyVault';
import { hasWipeInstruction } from './security/remoteWipe';
import { openSignInRecords } from './security/signInRecords';
import { auditPortOf } from './services/auditPort';
import { SYSTEM_USER_ID, createAuditService } from './services/auditService';
import { createDeviceStore } from './services/deviceStore';
import { type AuditedActor, createSessionSecurity } from './services/sessionSecurity';
import { createSessionRegistry } from './services/sessions';
import { createCallBook } from './services/callBook';
import { NO_UPDATES, type UpdatePort } from './handlers/appHandlers';

export const APP_VERSION = '0.1.0';

/** A central record is required: the composition root never invents one (the dev entry point starts the sandbox). */
export type ComposeConfig = AppConfig & Readonly<{ centralUrl: string }>;

export type ComposeDeps = Readonly<{
  config: ComposeConfig;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  /** Electron: safeStorage seals the key file too. The web shell has none. */
  keyProtector?: KeyProtector | null;
  /** Operational log lines (never PHI). */
  log?: (line: string) => void;
  now?: () => Date;
  /** Electron: electron-updater behind the port (issue #16). The web shell has none. */
  updates?: UpdatePort;
}>;

export type App = Readonly<{
  dispatch: Dispatch;
  services: Services;
  deviceId: string;
  /** The shell's loopback address for the identity provider's redirect, once it is listening. */
  setRedirectUri(uri: string): void;
  /** The identity provider redirected the browser back: a ticket for the page, or a typed error. */
  completeOnlineRedirect(callbackUrl: URL): Promise<string>;
  /** Remote-wipe checks that failed since start (logged without PHI). */
  wipeCheckFailures(): number;
  close(): Promise<void>;
}>;

function readDeviceId(dataDir: string): string {
  const file = path.join(dataDir, 'device-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = `onscene-${randomUUID()}`;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, id, { mode: 0o600 });
  return id;
}

/** Pages of audit sent before a wipe; bounded so a lost signal cannot hold the wipe back for long. */
const WIPE_UPLOAD_RUNS = 10;

/**
 * The composition root: every service is built here, once, from its dependencies, and handed to
 * the handler table. No service reaches for configuration, the environment or another service on
 * its own; this file is where the app can be read whole.
 */
export function composeApp(deps: ComposeDeps): App {
  const { config, emit } = deps;
  const log = deps.log ?? ((line: string) => console.error(`[onscene] ${line}`));
  const now = deps.now ?? (() => new Date());
  const deviceId = readDeviceId(config.dataDir);
  const vault = openKeyVault(config.dataDir, deps.keyProtector ?? null);
  const directory = openUserDirectory(config.dataDir);
  const records = openSignInRecords(config.dataDir);
  const sessions = createSessionRegistry({ now, idleLockMs: () => config.policy.idleLockMs });
  const oidc = config.identity ? createOidcSignIn(config.identity, now) : null;
  const tokens = createAccessTokens(oidc, config.centralToken, now);
  // The one FHIR client for sync, search and wipe checks; audit gets one attempt per call (its runs retry).
  const client = createFhirClient({ baseUrl: config.centralUrl, bearerToken: () => tokens.bearer() });
  const auditClient = createFhirClient({ baseUrl: config.centralUrl, bearerToken: () => tokens.bearer(), retry: { maxAttempts: 1 } });
  let redirectUri: string | null = null;
  let wipeCheckFailures = 0;

  // Late-bound: the audit service reads the store's log, the store's sync reports online state.
  let store: ReturnType<typeof createDeviceStore> | null = null;
  const auditService = createAuditService({
    deviceId,
    appVersion: APP_VERSION,
    organizationId: config.organizationId,
    now,
    log: () => store?.current()?.audit ?? null,
    isOnline: () => store?.isOnline() ?? false,
    lastSyncServerTime: () => store?.sync()?.lastServerTime() ?? null,
    client: auditClient,
    // A rewritten (or restarted) trail: IG must look; logged by kind only, every sync until they do.
    onAnchorDiverged: () => log('audit anchor on the central record does not match this device’s trail; run "audit verify --central" (IG)'),
  });
  const audit = auditPortOf(auditService);

  /** Device work is recorded under the user at the keyboard, or the device itself when nobody is. */
  const backgroundActor = (): AuditedActor => {
    const session = sessions.mostRecentlyActive();
    return session ? { summary: session.user, practitionerId: session.practitionerId } : { summary: { userId: SYSTEM_USER_ID, role: null }, practitionerId: null };
  };

  store = createDeviceStore({
    config,
    client,
    now,
    audit,
    uploadAudit: () => auditService.upload(),
    anchorAudit: () => auditService.anchor(),
    beforeSync: () => tokens.freshen(),
    backgroundActor,
    onStatus: (status) => emit('sync.changed', status),
    onRecordChanged: (patientIds) => emit('record.changed', { patientIds: [...patientIds] }),
    afterPull: (actor) => {
      emit('incidents.changed', {});
      // A wipe instruction arrives with a sync. Caught and logged by kind only; the next sync asks again.
      checkRemoteWipe(actor).catch((error: unknown) => {
        wipeCheckFailures++;
        const kind = error instanceof AppError ? error.code : error instanceof FhirClientError ? error.reason : 'unexpected error';
        log(`remote wipe check failed (${kind}); the next sync asks again`);
      });
    },
    log,
  });
  const deviceStore = store;

  async function closeStore() {
    await auditService.stop();
    await deviceStore.close();
  }

  const security = createSessionSecurity({
    dataDir: config.dataDir,
    policy: config.policy,
    now,
    vault,
    records,
    directory,
    sessions,
    tokens,
    openStore: (key) => deviceStore.open(key),
    closeStore,
    currentStore: () => deviceStore.current(),
    audit,
    async uploadAuditBeforeWipe() {
      let uploaded = 0;
      let remaining = deviceStore.current()?.audit.pending(10_000).length ?? 0;
      for (let run = 0; run < WIPE_UPLOAD_RUNS && remaining > 0; run++) {
        const result = await auditService.upload();
        if (!result) break;
        uploaded += result.uploaded;
        remaining = result.remaining;
        if (result.failure || result.uploaded === 0) break;
      }
      return { uploaded, unsent: remaining };
    },
  });

  /** No answer is not an instruction: a failed check is counted and logged by the caller, and the next sync asks again. */
  async function checkRemoteWipe(actor: AuditedActor): Promise<void> {
    if (await hasWipeInstruction(client, deviceId)) await security.wipe(actor);
  }

  const online = createOnlineSignIn({
    oidc,
    centralWith: (accessToken) => createFhirClient({ baseUrl: config.centralUrl, bearerToken: accessToken, retry: { maxAttempts: 2 } }),
    vehicle: config.vehicle,
    now,
  });

  const access = createRecordAccess({ store: deviceStore, audit, now, staleAfterMs: config.policy.staleAfterMs });
  const services: Services = {
    config,
    now,
    sessions,
    security,
    online,
    tokens,
    store: deviceStore,
    audit,
    auditReports: auditService,
    access,
    triage: createTriageService({ store: deviceStore, audit, access, organizationId: config.organizationId, now, log }),
    calls: createCallBook(now),
    central: client,
    redirectUri: () => redirectUri,
    updates: deps.updates ?? NO_UPDATES,
  };
  const dispatch = createDispatcher(createHandlers(services), sessions, log);

  return {
    dispatch,
    services,
    deviceId,
    setRedirectUri: (uri) => {
      redirectUri = uri;
    },
    completeOnlineRedirect: (callbackUrl) => online.callback(callbackUrl),
    wipeCheckFailures: () => wipeCheckFailures,
    close: closeStore,
  };
}
