import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, EventPayload } from '../contract/methods';
import { DEMO_USERS, DEMO_VEHICLE } from '../sandbox/demoCast';
import { startSandbox } from '../sandbox/server';
import type { AppConfig } from './config';
import { type Dispatch, createDispatcher } from './dispatch';
import { createHandlers } from './services/handlers';
import { type AppState, type KnownUser, createAppState } from './services/appState';
import { type WebShell, startWebShell } from './web/webServer';
import type { KeyProtector } from './security/keyProtector';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIR = path.join(repoRoot, 'dist', 'renderer');

/** The demo cast as users of this device (synthetic people; PINs are in the README). */
export const DEMO_KNOWN_USERS: readonly KnownUser[] = DEMO_USERS.map((u) => ({
  summary: { userId: u.userId, displayName: u.displayName, role: u.role, vehicle: u.vehicle },
  practitionerId: u.practitionerId,
}));

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export type AppCore = Readonly<{ dispatch: Dispatch; state: AppState; sandbox: Sandbox | null; close(): Promise<void> }>;

export type AppCoreOptions = Readonly<{
  config: AppConfig;
  /** Electron's safeStorage seal for the key file (issue #4); the web shell passes none. */
  keyProtector?: KeyProtector | null;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  log?: (line: string) => void;
  /** Size of the embedded sandbox when no central record is configured. */
  sandboxPatients?: number;
  /** Environment read for ONSCENE_DEMO_USERS (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}>;

/**
 * Demo users (PINs published in the README) are enrolled on a fresh device only when the embedded
 * sandbox is the central record, or when ONSCENE_DEMO_USERS=1 asks for them explicitly. Against a
 * real central record (--central) a fresh device is enrolled by each user's online sign-in instead.
 */
export function shouldEnrolDemoUsers(usesSandbox: boolean, env: NodeJS.ProcessEnv): boolean {
  return usesSandbox || env.ONSCENE_DEMO_USERS === '1';
}

/**
 * The application services both shells host: the central record (or the embedded sandbox),
 * the device state and the contract dispatcher.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { config } = options;
  const sandbox = config.centralUrl ? null : await startSandbox({ patients: options.sandboxPatients ?? 200, seed: 1 });
  const centralUrl = config.centralUrl ?? (sandbox as Sandbox).baseUrl;
  const log = options.log ?? ((line: string) => console.error(`[onscene] ${line}`));
  const state = createAppState({ config: { ...config, centralUrl }, users: DEMO_KNOWN_USERS, emit: options.emit, keyProtector: options.keyProtector ?? null, log });
  // Only a fresh device is enrolled at start, and only with the sandbox (or ONSCENE_DEMO_USERS=1);
  // otherwise, and on a wiped or unrecoverable device, the first online sign-in enrols (issue #4).
  if (shouldEnrolDemoUsers(sandbox !== null, options.env ?? process.env)) {
    await state.security.enrolFresh(DEMO_USERS.map((u) => ({ userId: u.userId, pin: u.pin })));
  }
  const dispatch = createDispatcher(createHandlers(state), state.sessions, log);
  return {
    dispatch,
    state,
    sandbox,
    async close() {
      await state.close();
      await sandbox?.close();
    },
  };
}

export type OnScene = Readonly<{ url: string; core: AppCore; close(): Promise<void> }>;

export type StartOptions = Readonly<{
  centralUrl?: string;
  dataDir: string;
  port?: number;
  vehicle?: string;
  sandboxPatients?: number;
  syncIntervalMs?: number;
}>;

/** Starts the web shell with its services: what `npm start` runs and what browser tests drive. */
export async function startOnScene(options: StartOptions): Promise<OnScene> {
  // Events raised before the shell listens have no audience: the page asks again when it connects.
  let shell: WebShell | null = null;
  const core = await createAppCore({
    config: {
      centralUrl: options.centralUrl ?? null,
      dataDir: options.dataDir,
      port: options.port ?? 0,
      centralToken: null,
      vehicle: options.vehicle ?? DEMO_VEHICLE,
      syncIntervalMs: options.syncIntervalMs ?? 30_000,
    },
    emit: (name, payload) => shell?.emit(name, payload),
    ...(options.sandboxPatients ? { sandboxPatients: options.sandboxPatients } : {}),
  });
  const started = await startWebShell({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: options.port ?? 0 });
  shell = started;
  return {
    url: started.url,
    core,
    async close() {
      await started.close();
      await core.close();
    },
  };
}
