import type { OidcSignIn, OidcTokens } from './oidcSignIn';

/** Renew a token this long before it expires, so a sync never starts with one about to lapse. */
const RENEW_BEFORE_MS = 60_000;

export type AccessTokens = Readonly<{
  /** A user's tokens from their online sign-in (the latest one is used for the central record). */
  set(userId: string, tokens: OidcTokens): void;
  /** Sign-out, wipe: their tokens are forgotten. */
  drop(userId: string): void;
  dropAll(): void;
  /** The bearer token for the next FHIR call: the newest unexpired user token, else the configured one. */
  bearer(): string | null;
  /** Before a sync: renews tokens close to expiry; a refused refresh drops the token (sign in online again). Never throws. */
  freshen(): Promise<void>;
}>;

/**
 * The access tokens the identity provider issued at online sign-in: they authorise the calls to
 * the central record (DESIGN §8). Held in memory only: a restart means signing in online again
 * for calls that need a user's token; offline sign-in never needed one.
 */
export function createAccessTokens(oidc: OidcSignIn | null, fallback: string | null, now: () => Date): AccessTokens {
  const byUser = new Map<string, OidcTokens>();
  // One renewal at a time: refresh tokens rotate, and a second use of the same one revokes the grant.
  let renewing: Promise<void> | null = null;
  const isLive = (t: OidcTokens) => t.expiresAt === null || t.expiresAt > now().getTime();
  return {
    set(userId, tokens) {
      byUser.delete(userId); // re-inserted last: the newest sign-in wins
      byUser.set(userId, tokens);
    },
    drop: (userId) => void byUser.delete(userId),
    dropAll: () => byUser.clear(),
    bearer() {
      const live = [...byUser.values()].filter(isLive);
      return live.at(-1)?.accessToken ?? fallback;
    },
    freshen() {
      renewing ??= renewAll().finally(() => {
        renewing = null;
      });
      return renewing;
    },
  };

  async function renewAll(): Promise<void> {
    if (!oidc) return;
    for (const [userId, tokens] of [...byUser]) {
      if (tokens.expiresAt === null || tokens.expiresAt - now().getTime() > RENEW_BEFORE_MS || !tokens.refreshToken) continue;
      let renewed: OidcTokens | null;
      try {
        renewed = await oidc.refresh(tokens.refreshToken);
      } catch {
        continue; // unreachable provider: keep the token; the central record's 401 will say if it lapsed
      }
      if (byUser.get(userId) !== tokens) continue; // signed in again (or out) meanwhile: that is newer
      if (renewed) byUser.set(userId, { ...renewed, refreshToken: renewed.refreshToken ?? tokens.refreshToken });
      else byUser.delete(userId);
    }
  }
}
