import type Provider from 'oidc-provider';
import { outcome, type Reply } from '../httpIo';

export type TokenCheck =
  | Readonly<{ isValid: true; sub: string; clientId: string; scope: string; expiresAt: number }>
  | Readonly<{ isValid: false; reason: 'unknown' | 'expired' | 'revoked' }>;

/**
 * What the provider's introspection endpoint would say about an access token, asked in-process of
 * its own token store (RFC 7662 semantics: unknown, expired or revoked is simply not active).
 * Expiry is checked to the second: oidc-provider's `find` allows `clockTolerance` (15 s) on top.
 */
export async function checkAccessToken(provider: Provider, value: string): Promise<TokenCheck> {
  const token = await provider.AccessToken.find(value, { ignoreExpiration: true });
  if (!token?.clientId) return { isValid: false, reason: 'unknown' };
  if (!token.isValid) return { isValid: false, reason: 'expired' };
  // Revoking the refresh token (sign-out) destroys the grant; its access tokens stop working with it.
  const grant = await provider.Grant.find(token.grantId, { ignoreExpiration: true });
  if (!grant || grant.isExpired || grant.clientId !== token.clientId || grant.accountId !== token.accountId) {
    return { isValid: false, reason: 'revoked' };
  }
  return { isValid: true, sub: token.accountId, clientId: token.clientId, scope: token.scope ?? '', expiresAt: token.exp ?? 0 };
}

/** RFC 6750 §2.1: `Authorization: Bearer <token68>`; the scheme is case-insensitive. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '')?.[1];
}

const REALM = 'OnScene sandbox';

function denied(text: string, error?: 'invalid_token'): Reply {
  // RFC 6750 §3: say which scheme is wanted, and whether the token presented was the problem.
  const challenge = error ? `Bearer realm="${REALM}", error="${error}", error_description="${text}"` : `Bearer realm="${REALM}"`;
  return { status: 401, body: outcome('login', text), headers: { 'www-authenticate': challenge } };
}

const WHY: Readonly<Record<Extract<TokenCheck, { isValid: false }>['reason'], string>> = {
  unknown: 'The token is not one the identity provider issued, nor the sandbox service token: sign in again',
  expired: 'The access token has expired: refresh it or sign in again',
  revoked: 'The access token was revoked: sign in again',
};

/** A gate that needs a token `check` accepts: undefined lets the request through, else a 401 to send (see ../accessGate.ts). */
export function createBearerGate(check: (token: string) => Promise<TokenCheck>): (authorization: string | undefined) => Promise<Reply | undefined> {
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (token === undefined) return denied('This FHIR server needs Authorization: Bearer <access token>');
    const result = await check(token);
    return result.isValid ? undefined : denied(WHY[result.reason], 'invalid_token');
  };
}
