import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MethodName, ParamsOf, ResultOf } from '../../contract/methods';
import type { LocalStore } from '../../db/localStore';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { startSandbox } from '../../sandbox/server';
import { type App, composeApp } from '../compose';
import { type AppConfig, configFor } from '../config';
import { enrolUsersDirectly } from '../dev/enrolUsers';
import type { Services } from '../handlers/services';

/** Test helpers for the integration tests: a real app (sandbox over HTTP, encrypted SQLite) and typed calls. */
export type CallResult<M extends MethodName> = { ok: true; value: ResultOf<M> } | { ok: false; error: { code: string; message: string } };

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** An app as the tests drive it: the dispatcher, the services behind it, and the sandbox it syncs with. */
export type TestCore = Readonly<{
  dispatch: App['dispatch'];
  app: App;
  services: Services;
  sandbox: Sandbox | null;
  /** The open store (throws while locked), for assertions on what is on disk. */
  store(): LocalStore;
  close(): Promise<void>;
}>;

export function caller(core: () => Pick<TestCore, 'dispatch'>) {
  async function call<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<CallResult<M>> {
    return core().dispatch({ method, params, ...(sessionToken ? { sessionToken } : {}) }) as Promise<CallResult<M>>;
  }
  async function value<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<ResultOf<M>> {
    const result = await call(method, params, sessionToken);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  const signIn = async (userId: string, pin: string) => (await value('session.signIn', { userId, pin })).sessionToken;
  return { call, value, signIn };
}

export const tempDataDir = (label: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `onscene-${label}-`));

/** The demo cast enrolled on `dataDir` as if each had signed in online (test set-up; the app enrols only through the IdP). */
export async function enrolDemoUsers(dataDir: string, at: Date = new Date()): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'device-id'))) return; // only a data folder that never ran
  await enrolUsersDirectly(dataDir, DEMO_USERS, at);
}

export type StartCoreOptions = Readonly<{
  /** Default: a fresh 12-patient sandbox that closes with the core. */
  centralUrl?: string | null;
  /** Default true: the demo users are enrolled before the app starts. */
  enrolDemo?: boolean;
  config?: Partial<AppConfig>;
  sandboxOptions?: Parameters<typeof startSandbox>[0];
  now?: () => Date;
}>;

/** A core on `dataDir`; `log` collects every log line for PHI checks. */
export async function startCore(dataDir: string, log: string[] = [], centralUrl: string | null = null, options: StartCoreOptions = {}): Promise<TestCore> {
  const sandbox = centralUrl ? null : await startSandbox(options.sandboxOptions ?? { patients: 12, seed: 1, identity: true });
  const baseUrl = centralUrl ?? (sandbox as Sandbox).baseUrl;
  if (options.enrolDemo !== false) await enrolDemoUsers(dataDir);
  const identity = sandbox?.issuer ? { issuer: sandbox.issuer, clientId: 'onscene', scope: 'openid profile offline_access' } : null;
  // The sandbox refuses writes without a token (issue #10 item 4): its service token is the app's
  // configured bearer, used whenever no user signed in online holds a live access token.
  const centralToken = sandbox?.serviceToken ?? null;
  const config = configFor({ syncIntervalMs: 3_600_000, identity, centralToken, ...options.config, dataDir, centralUrl: baseUrl });
  const app = composeApp({ config: { ...config, centralUrl: baseUrl }, emit: () => {}, log: (line) => log.push(line), ...(options.now ? { now: options.now } : {}) });
  return {
    dispatch: app.dispatch,
    app,
    services: app.services,
    sandbox,
    store() {
      const store = app.services.store.current();
      if (!store) throw new Error('the store is not open (nobody signed in)');
      return store;
    },
    async close() {
      await app.close();
      await sandbox?.close();
    },
  };
}
