import { randomBytes } from 'node:crypto';
import type { UserSummary } from '../../contract/views';
import { type AppErrorShape } from '../../core/errors';
import { isIdleExpired } from '../../core/sessionRules';

export type Session = Readonly<{
  token: string;
  user: UserSummary;
  practitionerId: string | null;
  startedAt: string;
  lastActivityAt: string;
  /** Locked sessions keep their token but reach only the methods in LOCKED_METHODS. */
  isLocked: boolean;
}>;

/** What a locked session may still do: unlock itself, sign out, or ask about pending work before signing out. */
export const LOCKED_METHODS: ReadonlySet<string> = new Set(['session.unlock', 'session.signOut', 'session.pendingWork', 'session.lock']);

export type SessionResolution = Readonly<{ session: Session | null; error: AppErrorShape }>;

const UNAUTHENTICATED: AppErrorShape = { code: 'unauthenticated', message: 'Your session has ended. Sign in again.' };
const LOCKED: AppErrorShape = { code: 'locked', message: 'OnScene is locked. Enter your PIN to unlock it.' };

export type SessionRegistryOptions = Readonly<{ now?: () => Date; idleLockMs?: () => number }>;

/**
 * Sessions by opaque token; each shell connection holds only its own token, so two users on one
 * laptop never see each other's session. Inactivity locks a session (DESIGN §6): judged on
 * every lookup from the last user activity, so a locked session stays locked even if no timer ran.
 */
export function createSessionRegistry(options: SessionRegistryOptions = {}) {
  const now = options.now ?? (() => new Date());
  const sessions = new Map<string, Session>();
  const update = (token: string, patch: Partial<Session>): Session | null => {
    const current = sessions.get(token);
    if (!current) return null;
    const next = { ...current, ...patch };
    sessions.set(token, next);
    return next;
  };
  /** Locks the session if it has been idle too long; returns its current state. */
  const judge = (token: string): Session | null => {
    const session = sessions.get(token);
    if (!session || session.isLocked || !options.idleLockMs) return session ?? null;
    return isIdleExpired(session.lastActivityAt, now(), options.idleLockMs()) ? update(token, { isLocked: true }) : session;
  };

  return {
    start(user: UserSummary, practitionerId: string | null, at: Date = now()): Session {
      const iso = at.toISOString();
      const session = { token: randomBytes(32).toString('base64url'), user, practitionerId, startedAt: iso, lastActivityAt: iso, isLocked: false };
      sessions.set(session.token, session);
      return session;
    },
    /** An unlocked, live session, or null. */
    get(token: string | undefined): Session | null {
      const session = token ? judge(token) : null;
      return session && !session.isLocked ? session : null;
    },
    /** The session a call may act as, and the typed error when it may not. */
    resolve(token: string | undefined, method: string): SessionResolution {
      const session = token ? judge(token) : null;
      if (!session) return { session: null, error: UNAUTHENTICATED };
      if (session.isLocked && !LOCKED_METHODS.has(method)) return { session: null, error: LOCKED };
      return { session, error: UNAUTHENTICATED };
    },
    /** User activity (a key press or tap reported by the UI, or a sign-in) postpones the lock. */
    touch: (token: string): Session | null => (judge(token)?.isLocked ? null : update(token, { lastActivityAt: now().toISOString() })),
    lock: (token: string): Session | null => update(token, { isLocked: true }),
    unlock: (token: string): Session | null => update(token, { isLocked: false, lastActivityAt: now().toISOString() }),
    end: (token: string) => sessions.delete(token),
    /** Sessions of other users that are locked: at a shift change they end, their owners' work stays. */
    endLockedExcept(userId: string): number {
      let ended = 0;
      for (const [token, session] of sessions) {
        if (session.user.userId !== userId && judge(token)?.isLocked) ended += Number(sessions.delete(token));
      }
      return ended;
    },
    /** The unlocked session with the latest user activity, or null: who is at the device now. */
    mostRecentlyActive(): Session | null {
      let latest: Session | null = null;
      for (const token of sessions.keys()) {
        const session = judge(token);
        if (session && !session.isLocked && (!latest || session.lastActivityAt > latest.lastActivityAt)) latest = session;
      }
      return latest;
    },
    /** Wipe or recovery: nobody stays signed in. */
    endAll: () => sessions.clear(),
  };
}
export type SessionRegistry = ReturnType<typeof createSessionRegistry>;
