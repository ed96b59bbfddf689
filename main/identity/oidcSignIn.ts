import * as oidc from 'openid-client';
import { AppError } from '../../core/errors';
import type { IdentityConfig } from '../config';

/**
 * Online sign-in with the region's OpenID Connect provider (NHS CIS2; the sandbox's in development):
 * authorization code with PKCE (S256), state and nonce, as a public native client (RFC 8252) whose
 * redirect is a loopback address of this device. openid-client does the protocol; this module
 * keeps the pending requests and turns every failure into a typed, PHI-free AppError.
 */
export type OidcTokens = Readonly<{ accessToken: string; refreshToken: string | null; expiresAt: number | null }>;
export type OidcIdentity = Readonly<{ subject: string; name: string | null; tokens: OidcTokens }>;

export type OidcSignIn = Readonly<{
  /** A fresh authorization request; the browser is sent to the returned URL. */
  begin(redirectUri: string): Promise<Readonly<{ authorizationUrl: string; state: string }>>;
  /** The provider redirected back to `callbackUrl`: exchange the code, check the ID token. */
  complete(callbackUrl: URL): Promise<OidcIdentity>;
  /** A new access token from a refresh token; null when the provider no longer accepts it. */
  refresh(refreshToken: string): Promise<OidcTokens | null>;
}>;

type Pending = Readonly<{ verifier: string; nonce: string; redirectUri: string; createdAt: number }>;

/** An unanswered request expires: a stale tab cannot complete a sign-in minutes later. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 20;

const isLoopbackHttp = (issuer: URL) => issuer.protocol === 'http:' && (issuer.hostname === '127.0.0.1' || issuer.hostname === 'localhost');

function tokensOf(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, nowMs: number): OidcTokens {
  const expiresIn = response.expiresIn();
  return { accessToken: response.access_token, refreshToken: response.refresh_token ?? null, expiresAt: expiresIn === undefined ? null : nowMs + expiresIn * 1000 };
}

export function createOidcSignIn(config: IdentityConfig, now: () => Date = () => new Date()): OidcSignIn {
  const issuer = new URL(config.issuer);
  let discovered: Promise<oidc.Configuration> | null = null;
  const pending = new Map<string, Pending>();

  /** Discovery once, retried on the next sign-in if the provider could not be reached. */
  function configuration(): Promise<oidc.Configuration> {
    // Plain http is allowed only for a provider on this machine (the development sandbox).
    discovered ??= oidc
      .discovery(issuer, config.clientId, undefined, oidc.None(), isLoopbackHttp(issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 })
      .catch((error: unknown) => {
        discovered = null;
        throw new AppError('offline', 'The sign-in service cannot be reached. Online sign-in needs signal; try again when you have it.', { cause: error });
      });
    return discovered;
  }

  function prune(nowMs: number) {
    for (const [state, p] of pending) if (nowMs - p.createdAt > PENDING_TTL_MS) pending.delete(state);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
  }

  return {
    async begin(redirectUri) {
      const cfg = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      prune(now().getTime());
      pending.set(state, { verifier, nonce, redirectUri, createdAt: now().getTime() });
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: config.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        // offline_access needs consent by the OIDC rules; the provider grants it for its own clients.
        prompt: 'consent',
      });
      return { authorizationUrl: url.href, state };
    },

    async complete(callbackUrl) {
      const state = callbackUrl.searchParams.get('state') ?? '';
      const request = pending.get(state);
      if (!request || now().getTime() - request.createdAt > PENDING_TTL_MS) {
        throw new AppError('bad-request', 'This sign-in link has expired or was not started here. Start online sign-in again.');
      }
      pending.delete(state); // one use: a replayed callback finds nothing
      if (callbackUrl.searchParams.has('error')) {
        throw new AppError('forbidden', 'The sign-in service did not sign you in. Start online sign-in again.');
      }
      const cfg = await configuration();
      let response;
      try {
        // openid-client takes the redirect URI from the callback URL (origin + path), which is the one begin() sent.
        if (`${callbackUrl.origin}${callbackUrl.pathname}` !== request.redirectUri) throw new Error('redirect mismatch');
        response = await oidc.authorizationCodeGrant(cfg, callbackUrl, { pkceCodeVerifier: request.verifier, expectedState: state, expectedNonce: request.nonce, idTokenExpected: true });
      } catch (error) {
        throw new AppError('forbidden', 'The sign-in service’s answer could not be verified, so nobody was signed in. Start online sign-in again.', { cause: error });
      }
      const claims = response.claims();
      if (!claims?.sub) throw new AppError('forbidden', 'The sign-in service did not say who signed in. Start online sign-in again.');
      const name = typeof claims.name === 'string' ? claims.name : null;
      return { subject: claims.sub, name, tokens: tokensOf(response, now().getTime()) };
    },

    async refresh(refreshToken) {
      const cfg = await configuration();
      try {
        return tokensOf(await oidc.refreshTokenGrant(cfg, refreshToken), now().getTime());
      } catch (error) {
        if (error instanceof oidc.ResponseBodyError) return null; // refused (expired, revoked): sign in online again
        throw new AppError('offline', 'The sign-in service cannot be reached to renew access.', { cause: error });
      }
    },
  };
}
