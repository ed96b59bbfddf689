import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import { parse } from 'yaml';
import type { EventName, EventPayload } from '../../contract/methods';
import type { UpdateStatus } from '../../contract/appMethods';
import type { UpdatePort } from '../handlers/appHandlers';
import { type UpdaterEvent, decideUpdates, initialUpdateStatus, nextUpdateStatus, publisherNamesOf } from './updatePolicy';

/** How often a running app asks the trust's server again. */
const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export type ElectronUpdater = UpdatePort & Readonly<{ start(): void; stop(): void }>;

type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** The publisher names electron-builder wrote next to the app (Windows signing), or null. */
function readPublisherNames(): readonly string[] | null {
  try {
    return publisherNamesOf(parse(fs.readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8')));
  } catch {
    return null;
  }
}

/**
 * electron-updater behind the UpdatePort (issue #16): off unless decideUpdates says so. It
 * downloads in the background, never installs on quit and never restarts by itself: only the
 * user's "Restart to update" (app.restartToUpdate) calls `beforeRestart` (services closed, the
 * store flushed) and then quitAndInstall.
 */
export function createElectronUpdater(options: Readonly<{ updateUrl: string | null; emit: Emit; beforeRestart: () => Promise<void>; log: (line: string) => void }>): ElectronUpdater {
  const decision = decideUpdates({ updateUrl: options.updateUrl, isPackaged: app.isPackaged, platform: process.platform, publisherNames: readPublisherNames() });
  let status: UpdateStatus = initialUpdateStatus(decision);
  if (!decision.enabled) {
    return { status: () => status, restartToUpdate: () => {}, start: () => options.log(`updates off: ${status.message}`), stop: () => {} };
  }
  const updater = electronUpdater.autoUpdater;
  updater.logger = null; // its lines carry paths and server text; ours are below, by kind only
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  updater.disableWebInstaller = true;
  updater.setFeedURL({ provider: 'generic', url: decision.url });

  const apply = (event: UpdaterEvent) => {
    const next = nextUpdateStatus(status, event);
    if (next === status) return;
    status = next;
    options.emit('app.updateChanged', status);
  };
  updater.on('checking-for-update', () => apply({ type: 'checking-for-update' }));
  updater.on('update-available', (info) => apply({ type: 'update-available', version: String(info.version) }));
  updater.on('update-not-available', () => apply({ type: 'update-not-available' }));
  updater.on('download-progress', (progress) => apply({ type: 'download-progress', percent: progress.percent }));
  updater.on('update-downloaded', (info) => apply({ type: 'update-downloaded', version: String(info.version) }));
  updater.on('error', () => {
    options.log('update check or download failed');
    apply({ type: 'error' });
  });

  const check = () => void updater.checkForUpdates().catch(() => apply({ type: 'error' }));
  let timer: NodeJS.Timeout | null = null;
  return {
    status: () => status,
    restartToUpdate: () => {
      void options.beforeRestart().finally(() => updater.quitAndInstall(false, true));
    },
    start() {
      check();
      timer = setInterval(check, CHECK_EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
