/** The custom scheme the renderer is served from inside Electron. */
export const APP_ORIGIN = 'app://onscene';

/**
 * Only our own page, in the main frame, may call the contract (VS Code's validated IPC).
 * Pure so it can be tested with hostile URLs without Electron.
 */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const url = new URL(frameUrl);
    return url.protocol === 'app:' && url.host === 'onscene';
  } catch {
    return false;
  }
}

/** Navigation away from the app is never allowed; links to elsewhere are not opened either. */
export const isAllowedNavigation = (target: string): boolean => isTrustedSender(target, true);
