import { randomBytes } from 'node:crypto';
import type { UserSummary } from '../../contract/views';

export type Session = Readonly<{ token: string; user: UserSummary; practitionerId: string | null; startedAt: string }>;

/** Sessions by opaque token; each shell connection holds only its own token. */
export function createSessionRegistry() {
  const sessions = new Map<string, Session>();
  return {
    start(user: UserSummary, practitionerId: string | null, now: Date): Session {
      const session = { token: randomBytes(32).toString('base64url'), user, practitionerId, startedAt: now.toISOString() };
      sessions.set(session.token, session);
      return session;
    },
    get: (token: string | undefined): Session | null => (token ? (sessions.get(token) ?? null) : null),
    end: (token: string) => sessions.delete(token),
  };
}
export type SessionRegistry = ReturnType<typeof createSessionRegistry>;
