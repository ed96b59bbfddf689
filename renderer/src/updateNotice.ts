import { type UpdateStatus } from '../../contract';

/**
 * Screens on which no patient record or triage can be open (issue #16): the sign-in screen and
 * the incident list. Every other screen may hold one, directly (record, triage) or inside it (a
 * call's or a search's opened record, break-glass), so "Restart to update" is never offered there.
 */
export const RESTART_SAFE_SCREENS: ReadonlySet<string> = new Set(['signIn', 'incidents']);

/** Whether to offer "Restart to update" now: an update is downloaded, and nothing is open. */
export function shouldOfferRestart(status: UpdateStatus | null, screen: string, isLocked: boolean, dismissedVersion: string | null): boolean {
  if (!status || status.state !== 'ready' || isLocked) return false;
  if (dismissedVersion !== null && dismissedVersion === status.version) return false;
  return RESTART_SAFE_SCREENS.has(screen);
}
