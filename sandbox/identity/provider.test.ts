import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../demoCast';
import { authorizationRequest, discoverClient, firstForm, signIn, startCallbackListener, TestBrowser } from './browserTestKit';
import { LOGIN_ERROR, LOGIN_TITLE } from './loginPage';
import { type IdentityProvider, startIdentityProvider } from './provider';

const [medic, colleague] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

let idp: IdentityProvider;
let config: oidc.Configuration;
beforeAll(async () => {
  idp = await startIdentityProvider({ users: DEMO_USERS });
  config = await discoverClient(idp.issuer);
});
afterAll(() => idp.close());

describe('sandbox identity provider', () => {
  it('publishes discovery for code + PKCE S256 on 127.0.0.1', () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(idp.issuer);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'offline_access']));
  });

  it('serves an accessible sign-in form with no script and no external assets', async () => {
    const callback = await startCallbackListener();
    const browser = new TestBrowser();
    const page = await browser.navigate((await authorizationRequest(config, callback.redirectUri)).url);
    await callback.close();
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<title>${LOGIN_TITLE}</title>`);
    expect(page.body).toMatch(/<label for="username">Username<\/label>\s*<input id="username" name="username" type="text"/);
    expect(page.body).toMatch(/<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/);
    expect(page.body).toContain('<button type="submit">Sign in</button>');
    expect(page.body).not.toMatch(/<script|https?:\/\//);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
  });

  it('signs in with code + PKCE: ID token sub/name, access token, refresh token that refreshes', async () => {
    const { tokens, callbackUrl } = await signIn(config, new TestBrowser(), medic.userId, medic.password);
    expect(callbackUrl.searchParams.get('iss')).toBe(idp.issuer); // RFC 9207, checked by openid-client too
    expect(tokens.claims()).toMatchObject({ iss: idp.issuer, aud: 'onscene', sub: medic.userId, name: medic.displayName });
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expiresIn()).toBeGreaterThan(14 * 60);
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await idp.checkAccessToken(tokens.access_token)).toMatchObject({ isValid: true, sub: medic.userId, clientId: 'onscene' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()).toMatchObject({ sub: medic.userId, name: medic.displayName });
    // Public client: the refresh token rotates, and the spent one is refused.
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts the request as the app sends it (prompt=consent, nonce), still on one screen', async () => {
    const nonce = oidc.randomNonce();
    const { tokens } = await signIn(config, new TestBrowser(), medic.userId, medic.password, { prompt: 'consent', nonce });
    expect(tokens.claims()).toMatchObject({ sub: medic.userId, nonce });
    expect(tokens.scope?.split(' ')).toContain('offline_access');
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('asks for the password again on every sign-in, and a second user can sign in in the same browser', async () => {
    const browser = new TestBrowser();
    const first = await signIn(config, browser, medic.userId, medic.password);
    expect(first.tokens.claims()?.sub).toBe(medic.userId);
    // Same browser, live provider session: still the form (shared vehicle laptops), then the new user.
    const second = await signIn(config, browser, colleague.userId, colleague.password);
    expect(second.tokens.claims()).toMatchObject({ sub: colleague.userId, name: colleague.displayName });
    // Switching users ended the first browser session, not the first user's tokens.
    expect((await oidc.refreshTokenGrant(config, first.tokens.refresh_token ?? '')).claims()?.sub).toBe(medic.userId);
  });

  it('re-renders the form on a wrong password and never reaches the callback', async () => {
    const callback = await startCallbackListener();
    const browser = new TestBrowser();
    const login = await browser.navigate((await authorizationRequest(config, callback.redirectUri)).url);
    const action = new URL(firstForm(login.body)?.action ?? '', login.url);
    for (const [username, password] of [[medic.userId, 'not-the-pass-123'], [medic.userId, colleague.password], ['nobody', medic.password], ['', '']] as const) {
      const page = await browser.navigate(action, { username, password });
      expect(page.status).toBe(401);
      expect(page.body).toContain(LOGIN_ERROR);
      expect(page.body).toContain('role="alert"');
      expect(page.body).toContain(`value="${username}"`);
      expect(page.body).not.toContain(password || '\u0000');
    }
    expect(callback.received).toEqual([]);
    expect(browser.visited.some((u) => u.startsWith(callback.redirectUri))).toBe(false);
    await callback.close();
  });

  it.each([
    ['another host', 'http://evil.example:8080/oidc/callback'],
    ['localhost instead of the IP literal', 'http://localhost:8080/oidc/callback'],
    ['another path', 'http://127.0.0.1:8080/oidc/elsewhere'],
    ['an extra query', 'http://127.0.0.1:8080/oidc/callback?next=x'],
    ['https', 'https://127.0.0.1:8080/oidc/callback'],
  ])('refuses a redirect_uri on %s without redirecting', async (_label, redirectUri) => {
    const browser = new TestBrowser();
    const page = await browser.navigate((await authorizationRequest(config, redirectUri)).url);
    expect(page.status).toBe(400);
    expect(page.body).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
    expect(browser.visited).toHaveLength(1);
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: 'http://127.0.0.1:9/oidc/callback', scope: 'openid' });
    const page = await new TestBrowser().request(url);
    expect(page.status).toBe(303);
    expect(new URL(page.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });
});
