import { AppError } from '../../core/errors';
import { MIN_NEW_PIN_LENGTH } from '../../core/sessionRules';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

type SessionMethod =
  | 'session.users'
  | 'session.signIn'
  | 'session.signOut'
  | 'session.current'
  | 'session.signInStatus'
  | 'session.onlineBegin'
  | 'session.onlineTicket'
  | 'session.onlineComplete'
  | 'session.policy'
  | 'session.heartbeat'
  | 'session.lock'
  | 'session.unlock'
  | 'session.pendingWork';
export type SessionHandlers = Readonly<{ [M in SessionMethod]: Handlers[M] }>;

/** Sign-in (offline PIN; online through the identity provider), sign-out, locking and the gates. */
export function createSessionHandlers(s: Services): SessionHandlers {
  return {
    'session.users': async () => ({ users: s.security.enrolledUsers().map((u) => u.summary), isOnlineSignInConfigured: s.online.isConfigured() }),
    'session.signIn': async ({ userId, pin }) => {
      const session = await s.security.signIn(userId, pin);
      return { sessionToken: session.token, user: session.user };
    },
    'session.signOut': async (_params, context) => {
      const session = requireSession(context);
      // The session ends first: an audit failure must never keep someone signed in. The store stays
      // open on purpose: other users' unsynced work and its sync carry on (DESIGN §6).
      s.sessions.end(session.token);
      s.tokens.drop(session.user.userId);
      await s.audit.recordedOrDeferred({ user: session.user, practitionerId: session.practitionerId, action: 'logout', patientId: null, purpose: null, outcome: 'success' });
      return {};
    },
    'session.current': async (_params, context) => ({ user: requireSession(context).user }),
    'session.signInStatus': async ({ userId }) => s.security.signInService.status(userId),
    'session.onlineBegin': async () => {
      const redirectUri = s.redirectUri();
      if (!redirectUri) throw new AppError('not-configured', 'Online sign-in is not available in this window. Restart OnScene and try again.');
      return { authorizationUrl: (await s.online.begin(redirectUri)).authorizationUrl };
    },
    'session.onlineTicket': async ({ ticket }) => {
      const { user } = s.online.peek(ticket);
      return { user: user.summary, isEnrolled: s.security.signInService.status(user.summary.userId).isEnrolled, minPinLength: MIN_NEW_PIN_LENGTH };
    },
    'session.onlineComplete': async ({ ticket, pin }) => {
      const identity = s.online.peek(ticket);
      const session = await s.security.completeOnline(identity, pin);
      s.online.consume(ticket);
      // A 401 from the central record paused sync until an online sign-in proved a user again.
      s.store.sync()?.reauthenticated();
      return { sessionToken: session.token, user: session.user };
    },
    'session.policy': async () => ({ idleLockMs: s.config.policy.idleLockMs, breakGlassMinutes: Math.max(1, Math.round(s.config.policy.breakGlassMs / 60_000)) }),
    'session.heartbeat': async (_params, context) => {
      s.sessions.touch(requireSession(context).token);
      return {};
    },
    'session.lock': async ({ reason }, context) => {
      await s.security.lock(requireSession(context), reason);
      return {};
    },
    'session.unlock': async ({ pin }, context) => ({ user: (await s.security.unlock(requireSession(context), pin)).user }),
    'session.pendingWork': async (_params, context) => s.security.pendingWork(requireSession(context)),
  };
}
