import { type WebApp, startWebApp } from '../app';
import { type AppConfig, configFor } from '../config';
import { DEMO_VEHICLE } from '../../sandbox/demoCast';
import { startSandbox } from '../../sandbox/server';
import type { KeyProtector } from '../security/keyProtector';

/**
 * The development entry point's one-command demo (and what browser tests drive): the sandbox
 * central record with its identity provider on 127.0.0.1, and OnScene's web shell pointed at both.
 * Only here (main/dev/, main/start.ts), tests and benchmarks may import sandbox/ (scripts/layers.test.ts).
 */
export type DemoOptions = Readonly<{
  dataDir: string;
  port?: number;
  vehicle?: string;
  sandboxPatients?: number;
  syncIntervalMs?: number;
  /** Config beyond the defaults (policy, area, …); the central record and identity provider are the sandbox's. */
  config?: Partial<AppConfig>;
  log?: (line: string) => void;
  /** The web shell's OS key store seal for keys.json, where one is available (main/security/keyFileProtection.ts). */
  keyProtector?: KeyProtector | null;
}>;

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type Demo = Readonly<{ url: string; web: WebApp; sandbox: Sandbox; close(): Promise<void> }>;

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const sandbox = await startSandbox({ patients: options.sandboxPatients ?? 200, seed: 1, identity: true });
  const issuer = sandbox.issuer;
  if (!issuer) throw new Error('The sandbox did not start its identity provider.');
  const config = configFor({
    ...options.config,
    dataDir: options.dataDir,
    port: options.port ?? 0,
    vehicle: options.vehicle ?? DEMO_VEHICLE,
    syncIntervalMs: options.syncIntervalMs ?? 30_000,
    centralUrl: sandbox.baseUrl,
    // Development only: the sandbox's write token, for device work when no signed-in user's token is live.
    centralToken: sandbox.serviceToken,
    identity: { issuer, clientId: 'onscene', scope: 'openid profile offline_access' },
  });
  const web = await startWebApp({ config: { ...config, centralUrl: sandbox.baseUrl }, keyProtector: options.keyProtector ?? null, ...(options.log ? { log: options.log } : {}) });
  return {
    url: web.url,
    web,
    sandbox,
    async close() {
      await web.close();
      await sandbox.close();
    },
  };
}
