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

/**
 * The one place the app's window may send the user: the configured identity provider's
 * authorization endpoint, opened in the system browser (RFC 8252 §8.12: native apps use an
 * external user agent), never inside the app's window. Same origin as the issuer, https unless the
 * provider is on this machine.
 */
export function isIdentityProviderUrl(target: string, issuer: string | null): boolean {
  if (!issuer) return false;
  try {
    const url = new URL(target);
    const expected = new URL(issuer);
    const isLocal = expected.hostname === '127.0.0.1' || expected.hostname === 'localhost';
    return url.origin === expected.origin && (url.protocol === 'https:' || (isLocal && url.protocol === 'http:'));
  } catch {
    return false;
  }
}

/** What main knows about one IPC message's sender (Electron's IpcMainInvokeEvent, reduced). */
export type IpcSenderFacts = Readonly<{
  /** `event.sender.id`; the web contents that sent it. */
  senderId: number;
  /** OnScene's own window's `webContents.id`, or null before it exists / after it closed. */
  windowId: number | null;
  /** `event.senderFrame`: null when the frame navigated away or was destroyed before main looked. */
  frameUrl: string | null | undefined;
  isMainFrame: boolean;
}>;

/**
 * Every contract call must come from the main frame of OnScene's own window, showing our page
 * (issue #16: "every IPC message's sender frame checked"). Any other web contents (a devtools
 * page, a future helper window), any subframe, a destroyed frame or another origin is refused.
 */
export function isTrustedIpcSender(facts: IpcSenderFacts): boolean {
  if (facts.windowId === null || facts.senderId !== facts.windowId) return false;
  return isTrustedSender(facts.frameUrl ?? undefined, facts.isMainFrame);
}
