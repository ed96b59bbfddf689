/**
 * The sandbox's OpenID Connect provider: a stand-in for NHS CIS2 during development and tests.
 * oidc-provider (panva) does the protocol; we add the accounts, our own sign-in screen and the
 * one native client OnScene uses (authorization code + PKCE, RFC 8252 loopback redirect).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration, type ErrorOut, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { checkAccessToken, type TokenCheck } from './accessTokens';
import { createInteractionHandler, type IdentityUser, INTERACTION_PATH, signInEveryTimePolicy } from './interactions';
import { PAGE_HEADERS, renderLogoutPage, renderMessagePage } from './loginPage';

export const ONSCENE_CLIENT_ID = 'onscene';
/** Registered without a port: RFC 8252 §7.3 lets a native app use any loopback port at run time. */
export const ONSCENE_REDIRECT_URI = 'http://127.0.0.1/oidc/callback';
export const IDENTITY_SCOPES = ['openid', 'profile', 'offline_access'] as const;
export const DEFAULT_ACCESS_TOKEN_TTL_S = 15 * 60;
/** One long shift: a crew signs in online once per shift at most. */
export const DEFAULT_REFRESH_TOKEN_TTL_S = 12 * 60 * 60;

/**
 * OnScene as a public native client. oidc-provider matches a native client's http loopback redirect
 * URIs with the port ignored (RFC 8252 §7.3) and everything else exact: host, path and query.
 */
export const ONSCENE_CLIENT = {
  client_id: ONSCENE_CLIENT_ID,
  client_name: 'OnScene',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: [ONSCENE_REDIRECT_URI],
  scope: IDENTITY_SCOPES.join(' '),
} as const satisfies ClientMetadata;

export type IdentityProviderOptions = Readonly<{
  /** 0 (default) picks a free port. The provider listens on 127.0.0.1 only. */
  port?: number;
  users: readonly IdentityUser[];
  /** Replaces the default `[ONSCENE_CLIENT]`. */
  clients?: readonly ClientMetadata[];
  /** Host in the issuer URL (default 127.0.0.1), e.g. `localhost`; the socket is still loopback only. */
  issuerHost?: string;
  /** Default 15 min; tests use 1–2 s to watch a token expire. */
  accessTokenTtlSeconds?: number;
  /** Default 12 h. Refresh tokens rotate on every use (public client), so keep the newest. */
  refreshTokenTtlSeconds?: number;
}>;

export type IdentityProvider = Readonly<{
  /** e.g. http://127.0.0.1:43122 (discovery at /.well-known/openid-configuration) */
  issuer: string;
  port: number;
  clientId: typeof ONSCENE_CLIENT_ID;
  /** In-process introspection of an access token this provider issued. */
  checkAccessToken: (token: string) => Promise<TokenCheck>;
  close: () => Promise<void>;
}>;

/** A fresh RS256 key per start: tokens do not outlive the process, and no key is ever committed. */
function signingKey(): JWK {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK;
}

function sendPage(ctx: KoaContextWithOIDC, html: string): void {
  ctx.set(PAGE_HEADERS);
  ctx.body = html;
}

// oidc-provider's stock pages load web fonts from Google; ours are self-contained and plain.
async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut): Promise<void> {
  const detail = out.error_description ?? out.error;
  sendPage(ctx, renderMessagePage('Sign-in request refused', detail, 'Go back to OnScene and try again; if it keeps happening, tell the OnScene developers.'));
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  sendPage(ctx, renderLogoutPage(form));
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  sendPage(ctx, renderMessagePage('Signed out', 'You have signed out of the sandbox identity provider.', 'You can close this window.'));
}

function configuration(opts: IdentityProviderOptions): Configuration {
  const users = new Map(opts.users.map((u) => [u.userId, u]));
  const refreshTtl = opts.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TOKEN_TTL_S;
  return {
    clients: [...(opts.clients ?? [ONSCENE_CLIENT])],
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      return user && { accountId: user.userId, claims: () => ({ sub: user.userId, name: user.displayName }) };
    },
    scopes: [...IDENTITY_SCOPES],
    claims: { openid: ['sub'], profile: ['name'] },
    // The app reads `name` from the ID token; by default a code flow puts profile claims in userinfo only.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    // Always name the redirect: a port-less default would send the code to port 80.
    allowOmittingSingleRegisteredRedirectUri: false,
    pkce: { required: () => true },
    // oidc-provider drops offline_access unless the request says prompt=consent (OIDC Core §11). Our
    // first-party native client consents on the sign-in screen, so it always gets a refresh token, and
    // its tokens outlive the browser session (the app, not the browser, holds them).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}`, policy: signInEveryTimePolicy() },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    ttl: {
      AccessToken: opts.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_S,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 10 * 60,
      RefreshToken: refreshTtl,
      Grant: refreshTtl,
      Session: refreshTtl,
    },
    renderError,
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sendInternalError(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const html = renderMessagePage('Something went wrong', 'The sandbox identity provider could not finish this request.', 'Go back to OnScene and try again.');
  res.writeHead(500, PAGE_HEADERS);
  res.end(html);
}

/** Starts the provider on 127.0.0.1 with an in-memory store (nothing survives a restart). */
export async function startIdentityProvider(opts: IdentityProviderOptions): Promise<IdentityProvider> {
  const server = createServer();
  const port = await listen(server, opts.port ?? 0);
  const issuer = `http://${opts.issuerHost ?? '127.0.0.1'}:${port}`;
  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration(opts));
  } catch (err) {
    server.close();
    throw err;
  }
  const interactions = createInteractionHandler({ provider, users: opts.users, scopes: IDENTITY_SCOPES });
  const oidc = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!(req.url ?? '').startsWith(INTERACTION_PATH)) {
      void oidc(req, res);
      return;
    }
    // Never echo the request (it carries a password) in a log or a page.
    interactions(req, res).catch(() => sendInternalError(res));
  });
  return {
    issuer,
    port,
    clientId: ONSCENE_CLIENT_ID,
    checkAccessToken: (token) => checkAccessToken(provider, token),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
