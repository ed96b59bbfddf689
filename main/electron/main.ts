import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, net, powerMonitor, protocol, session, shell } from 'electron';
import type { EventName, EventPayload } from '../../contract/methods';
import { requireCentral } from '../app';
import { composeApp } from '../compose';
import { readConfig } from '../config';
import { startLoopbackRedirect } from '../identity/loopbackRedirect';
import { installProcessGuard } from '../processGuard';
import { CONTENT_SECURITY_POLICY } from '../web/webGuards';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';
import { lockEverySession } from './osLock';
import { APP_SCHEME, resolveRendererFile } from './protocolPath';
import { createSafeStorageProtector } from './safeStorageProtector';
import { APP_ORIGIN, isAllowedNavigation, isIdentityProviderUrl, isTrustedIpcSender } from './senderGuard';
import { isDeviceGranted, isPermissionGranted, lockReasonFor, mayAttachWebview, withMachineConfig } from './shellPolicy';
import { createElectronUpdater } from './updater';

// The thin Electron shell (issue #16): the same services as the web shell (main/compose.ts), over
// sender-checked IPC, with the renderer on app://onscene/ under the web shell's CSP. Every
// decision that can be pure is in a module of its own with hostile-input tests.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', '..', 'renderer');
const log = (line: string) => console.error(`[onscene] ${line}`);

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Files from dist/renderer only, each with the CSP and nosniff; anything else 400/404. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveRendererFile(rendererDir, request.url);
    if ('status' in target || !fs.existsSync(target.file)) return new Response('Not found', { status: 'status' in target ? target.status : 404 });
    const file = await net.fetch(pathToFileURL(target.file).href);
    const headers = new Headers(file.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(file.body, { status: file.status, headers });
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
}

/** Permission requests and checks, and device pickers, refused for every origin (shellPolicy.ts). */
function refusePermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl)));
  s.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
  s.setDevicePermissionHandler((details) => isDeviceGranted(details.deviceType));
  s.on('select-hid-device', (event, _details, callback) => (event.preventDefault(), callback()));
  s.on('select-serial-port', (event, _ports, _wc, callback) => (event.preventDefault(), callback('')));
  s.on('select-usb-device', (event, _details, callback) => (event.preventDefault(), callback()));
}

/** Every web contents ever created: no navigation away, no new windows, no <webview>. */
function guardWebContents(issuer: string | null): void {
  app.on('web-contents-created', (_event, contents) => {
    const refuse = (event: Electron.Event, url: string) => {
      if (isAllowedNavigation(url)) return;
      event.preventDefault();
      // Sign-in goes to the system browser (RFC 8252), never into our window.
      if (isIdentityProviderUrl(url, issuer)) void shell.openExternal(url);
    };
    contents.on('will-navigate', refuse);
    contents.on('will-redirect', refuse);
    contents.on('will-attach-webview', (event, _prefs, params) => {
      if (!mayAttachWebview(params.src)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'OnScene',
    show: true,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: !app.isPackaged,
    },
  });
}

async function stopWith(title: string, message: string): Promise<void> {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

async function main() {
  // A second launch hands over to the first (which comes to the front) and ends.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let config;
  try {
    // Without --config or ONSCENE_CONFIG, the machine-wide file IT deploys, if present.
    const argv = process.argv.slice(app.isPackaged ? 1 : 2);
    config = readConfig(argv, withMachineConfig(argv, process.env, process.platform, fs.existsSync));
  } catch (error) {
    // A bad setting names itself (main/config.ts); the dialog may be shown before ready.
    return stopWith('OnScene is not configured correctly', error instanceof Error ? error.message : 'The configuration could not be read.');
  }
  await app.whenReady();
  Menu.setApplicationMenu(null);
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  // The key file is sealed by the OS key store too; Linux's basic_text fallback is refused, not used.
  const protector = createSafeStorageProtector();
  if ('ok' in protector) return stopWith('OnScene cannot start safely', protector.message);
  let central;
  try {
    // The packaged app never starts a stand-in central record: without one configured it says how to set it.
    central = requireCentral(config);
  } catch (error) {
    return stopWith('OnScene is not configured', error instanceof Error ? error.message : 'No central record is configured.');
  }
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => window?.webContents.send(EVENT_CHANNEL, name, payload);
  // One shutdown for every way out (window closed, quit, "Restart to update"): the store is closed before the process ends.
  let shutdown: Promise<void> | null = null;
  const stop = (): Promise<void> => (shutdown ??= Promise.allSettled([core.close(), loopback.close()]).then(() => updater.stop()));
  const updater = createElectronUpdater({ updateUrl: config.updateUrl, emit, beforeRestart: stop, log });
  const core = composeApp({ config: central, keyProtector: protector, emit, updates: updater, log });
  const services = core.services;
  // Sign-in in the system browser; the provider comes back to a loopback listener, the page gets the ticket as an event.
  const loopback = await startLoopbackRedirect(async (url) => {
    const ticket = await core.completeOnlineRedirect(url);
    emit('session.onlineReady', { ticket });
    window?.focus();
  });
  core.setRedirectUri(loopback.redirectUri);

  serveRenderer();
  refusePermissions();
  guardWebContents(config.identity?.issuer ?? null);
  for (const event of ['suspend', 'lock-screen'] as const) {
    powerMonitor.on(event as 'suspend', () => {
      const reason = lockReasonFor(event);
      if (!reason) return;
      // The page hides patient data first (the machine may sleep any moment), then main locks and audits.
      emit('app.locked', { reason });
      void lockEverySession(services, reason);
    });
  }
  ipcMain.handle(CALL_CHANNEL, (event, envelope: unknown) => {
    const frame = event.senderFrame;
    const facts = { senderId: event.sender.id, windowId: window?.webContents.id ?? null, frameUrl: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame };
    if (!isTrustedIpcSender(facts)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the OnScene window.' } };
    }
    return core.dispatch(envelope);
  });
  app.on('before-quit', (event) => {
    if (shutdown) return;
    event.preventDefault();
    void stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());

  window = createWindow();
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  updater.start();
}

installProcessGuard(log);

main().catch((error: unknown) => {
  console.error(`OnScene could not start: ${error instanceof Error ? error.message : 'unknown error'}`);
  app.exit(1);
});
