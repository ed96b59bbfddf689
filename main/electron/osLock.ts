import type { Services } from '../handlers/services';
import type { LockReason } from './shellPolicy';

/** Enough for every crew member on one laptop; a bound so a fault can never spin here. */
const MAX_SESSIONS = 64;

/**
 * The computer is suspending or its screen locked (powerMonitor): lock every unlocked session,
 * each audited as a lock "with the computer". Only the user's PIN unlocks again; resume does not.
 * Returns how many sessions it locked. Lives beside the shell because only Electron sees these
 * events; the services it uses are the same ones the web shell's idle lock uses.
 */
export async function lockEverySession(services: Pick<Services, 'sessions' | 'security'>, _reason: LockReason): Promise<number> {
  let locked = 0;
  for (let session = services.sessions.mostRecentlyActive(); session && locked < MAX_SESSIONS; session = services.sessions.mostRecentlyActive()) {
    await services.security.lock(session, 'os');
    locked++;
  }
  return locked;
}
