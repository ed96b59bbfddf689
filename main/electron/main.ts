import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { requireCentral } from '../app';
import { installProcessGuard } from '../processGuard';
import { composeApp } from '../compose';
import { startLoopbackRedirect } from '../identity/loopbackRedirect';
import { readConfig } from '../config';
import { CONTENT_SECURITY_POLICY } from '../web/webGuards';
import { createSafeStorageProtector } from './safeStorageProtector';
import { APP_ORIGIN, isAllowedNavigation, isIdentityProviderUrl, isTrustedSender } from './senderGuard';

// The thin Electron shell: the same services as the web shell, over validated IPC.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

async function main() {
  const config = readConfig(process.argv.slice(app.isPackaged ? 1 : 2), process.env);
  await app.whenReady();
  let window: BrowserWindow | null = null;
  // The key file is sealed by the OS key store too; Linux's basic_text fallback is refused, not used.
  const protector = createSafeStorageProtector();
  if ('ok' in protector) {
    dialog.showErrorBox('OnScene cannot start safely', protector.message);
    app.exit(1);
    return;
  }
  // The packaged app never starts a stand-in central record: without one configured it says how to set it.
  let central;
  try {
    central = requireCentral(config);
  } catch (error) {
    dialog.showErrorBox('OnScene is not configured', error instanceof Error ? error.message : 'No central record is configured.');
    app.exit(1);
    return;
  }
  const core = composeApp({ config: central, keyProtector: protector, emit: (name, payload) => window?.webContents.send('onscene:event', name, payload) });
  // Sign-in in the system browser; the provider comes back to a loopback listener, the page gets the ticket as an event.
  const loopback = await startLoopbackRedirect(async (url) => {
    const ticket = await core.completeOnlineRedirect(url);
    window?.webContents.send('onscene:event', 'session.onlineReady', { ticket });
    window?.focus();
  });
  core.setRedirectUri(loopback.redirectUri);

  protocol.handle('app', (request) => {
    // A malformed escape ("/%") or URL is a 400, never an exception in the main process (issue #10).
    let file: string;
    let host: string;
    try {
      const url = new URL(request.url);
      host = url.host;
      file = path.resolve(rendererDir, url.pathname === '/' ? 'index.html' : `.${decodeURIComponent(url.pathname)}`);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    if (host !== 'onscene' || !file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    return net.fetch(`file://${file}`);
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  ipcMain.handle('onscene:call', (event, envelope: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the OnScene window.' } };
    }
    return core.dispatch(envelope);
  });

  window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'OnScene',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    if (isIdentityProviderUrl(url, config.identity?.issuer ?? null)) void shell.openExternal(url);
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  app.on('window-all-closed', () => void Promise.all([core.close(), loopback.close()]).finally(() => app.quit()));
}

installProcessGuard((line) => console.error(`[onscene] ${line}`));

main().catch((error: unknown) => {
  console.error(`OnScene could not start: ${error instanceof Error ? error.message : 'unknown error'}`);
  app.exit(1);
});
