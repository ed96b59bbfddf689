import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from './config';
import { type App, type ComposeConfig, composeApp } from './compose';
import type { KeyProtector } from './security/keyProtector';
import { type WebShell, startWebShell } from './web/webServer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIR = path.join(repoRoot, 'dist', 'renderer');

/** What a desktop app with no central record configured says, instead of starting anything. */
export const NO_CENTRAL_MESSAGE =
  'No central record is configured, so OnScene has nothing to sync with. Your IT team sets the central record’s FHIR address with --central <url>, ONSCENE_CENTRAL_URL, or "central.url" in the config file (--config <file> or ONSCENE_CONFIG). See README "Configuration".';

/** The configuration with its central record, or the plain reason why the app cannot start. */
export function requireCentral(config: AppConfig): ComposeConfig {
  if (!config.centralUrl) throw new Error(NO_CENTRAL_MESSAGE);
  return { ...config, centralUrl: config.centralUrl };
}

export type WebApp = Readonly<{ url: string; app: App; shell: WebShell; close(): Promise<void> }>;

export type WebAppOptions = Readonly<{ config: ComposeConfig; log?: (line: string) => void; keyProtector?: KeyProtector | null; rendererDir?: string }>;

/** The services over the web shell on 127.0.0.1, with the identity provider's loopback redirect on the same origin. */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  // Events raised before the shell listens have no audience: the page asks again when it connects.
  let shell: WebShell | null = null;
  const app = composeApp({
    config: options.config,
    emit: (name, payload) => shell?.emit(name, payload),
    ...(options.log ? { log: options.log } : {}),
    keyProtector: options.keyProtector ?? null,
  });
  const started = await startWebShell({
    dispatch: app.dispatch,
    rendererDir: options.rendererDir ?? RENDERER_DIR,
    port: options.config.port,
    onOidcCallback: (url) => app.completeOnlineRedirect(url),
  });
  shell = started;
  app.setRedirectUri(`http://127.0.0.1:${started.port}/oidc/callback`);
  return {
    url: started.url,
    app,
    shell: started,
    async close() {
      await started.close();
      await app.close();
    },
  };
}
