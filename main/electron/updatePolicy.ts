import type { UpdateStatus } from '../../contract/appMethods';

/**
 * Whether this installation may update itself, and from where (issue #16). Pure, so every branch
 * is tested in plain Node. Off unless the trust configured an update URL (https). "Signed-update
 * checks on": electron-updater verifies the Authenticode signature of a Windows update against
 * the publisher names electron-builder writes into app-update.yml, and silently skips the check
 * when there are none (NsisUpdater.verifySignature), so without them the updater stays off. On
 * Linux electron-updater checks only a SHA-512 from the same server, no signature: there IT
 * installs new versions (a signed apt repository for the deb, or a new AppImage).
 */
export type UpdateFacts = Readonly<{
  updateUrl: string | null;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** `publisherName` from resources/app-update.yml; null when the file or the key is missing. */
  publisherNames: readonly string[] | null;
}>;

export type UpdateDecision = Readonly<{ enabled: true; url: string }> | Readonly<{ enabled: false; message: string }>;

export const UPDATE_MESSAGES = {
  notConfigured: 'This computer does not update OnScene itself: your IT team installs new versions.',
  notHttps: 'The update address is not an https address, so OnScene does not update itself. Tell your IT team.',
  notPackaged: 'A development build does not update itself.',
  unsigned: 'This copy of OnScene is not code-signed, so updates could not be verified: it does not update itself. Your IT team installs new versions.',
  linux: 'On Linux your IT team installs new versions of OnScene (signed packages), so it does not update itself.',
  unsupported: 'OnScene does not update itself on this operating system.',
} as const;

/** The trust's update feed, or why updating stays off. */
export function decideUpdates(facts: UpdateFacts): UpdateDecision {
  if (!facts.updateUrl) return { enabled: false, message: UPDATE_MESSAGES.notConfigured };
  let url: URL;
  try {
    url = new URL(facts.updateUrl);
  } catch {
    return { enabled: false, message: UPDATE_MESSAGES.notHttps };
  }
  if (url.protocol !== 'https:' || url.username || url.password) return { enabled: false, message: UPDATE_MESSAGES.notHttps };
  if (!facts.isPackaged) return { enabled: false, message: UPDATE_MESSAGES.notPackaged };
  if (facts.platform === 'linux') return { enabled: false, message: UPDATE_MESSAGES.linux };
  if (facts.platform !== 'win32') return { enabled: false, message: UPDATE_MESSAGES.unsupported };
  const names = (facts.publisherNames ?? []).filter((n) => n.trim().length > 0);
  if (names.length === 0) return { enabled: false, message: UPDATE_MESSAGES.unsigned };
  return { enabled: true, url: url.href };
}

/** `publisherName` as electron-builder writes it in app-update.yml (a string or a list), parsed already. */
export function publisherNamesOf(appUpdateYml: unknown): readonly string[] | null {
  if (typeof appUpdateYml !== 'object' || appUpdateYml === null) return null;
  const value = (appUpdateYml as Record<string, unknown>).publisherName;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return null;
}

/** What electron-updater reported, reduced to what the page may show. */
export type UpdaterEvent =
  | Readonly<{ type: 'checking-for-update' }>
  | Readonly<{ type: 'update-available'; version: string }>
  | Readonly<{ type: 'update-not-available' }>
  | Readonly<{ type: 'download-progress'; percent: number }>
  | Readonly<{ type: 'update-downloaded'; version: string }>
  | Readonly<{ type: 'error' }>;

const status = (state: UpdateStatus['state'], version: string | null, percent: number | null, message: string): UpdateStatus => ({ state, version, percent, message });

/** The status before any check. */
export const initialUpdateStatus = (decision: UpdateDecision): UpdateStatus =>
  decision.enabled ? status('idle', null, null, 'OnScene is up to date.') : status('off', null, null, decision.message);

/**
 * Next status. A downloaded update stays "ready" whatever a later check says (it is on disk and
 * verified); a failure never shows the raw error (it may carry paths or server text).
 */
export function nextUpdateStatus(current: UpdateStatus, event: UpdaterEvent): UpdateStatus {
  if (current.state === 'off' || current.state === 'ready') return current;
  const version = (v: string) => v.slice(0, 64);
  switch (event.type) {
    case 'checking-for-update':
      return status('checking', current.version, null, 'Checking for a new version of OnScene.');
    case 'update-available':
      return status('downloading', version(event.version), 0, `Downloading OnScene ${version(event.version)} in the background.`);
    case 'download-progress': {
      const percent = Number.isFinite(event.percent) ? Math.min(100, Math.max(0, Math.floor(event.percent))) : 0;
      return status('downloading', current.version, percent, current.message);
    }
    case 'update-not-available':
      return status('idle', null, null, 'OnScene is up to date.');
    case 'update-downloaded':
      return status('ready', version(event.version), 100, `OnScene ${version(event.version)} is ready. Restart OnScene to use it; nothing you have entered is lost.`);
    case 'error':
      return status('failed', current.version, null, 'OnScene could not check for or download an update. It keeps working and tries again later.');
  }
}
