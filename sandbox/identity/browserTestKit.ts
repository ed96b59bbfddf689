/**
 * Test kit: a tiny cookie-keeping "browser" and an OnScene-like native client (openid-client v6),
 * so tests drive the real sign-in over HTTP the way the app and the system browser will.
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { ONSCENE_CLIENT_ID } from './provider';

export type Page = Readonly<{ status: number; url: string; headers: Headers; body: string }>;
type Cookie = Readonly<{ name: string; value: string; path: string }>;

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);|&amp;|&quot;|&lt;|&gt;/g, (m, code: string | undefined) =>
    code ? String.fromCharCode(Number(code)) : ({ '&amp;': '&', '&quot;': '"', '&lt;': '<', '&gt;': '>' } as Record<string, string>)[m] ?? m);
}

/** The first form's action and hidden inputs (enough for our login form and oidc-provider's form_post pages). */
export function firstForm(html: string): { action: string; hidden: Record<string, string> } | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const hidden: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    if (name) hidden[name] = decodeEntities(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  return { action: decodeEntities(form[1] ?? ''), hidden };
}

/** Cookies by name and path (host-wide, like a browser on 127.0.0.1), redirects followed by hand. */
export class TestBrowser {
  readonly #cookies = new Map<string, Cookie>();
  /** Every URL requested, in order: lets a test prove where the browser never went. */
  readonly visited: string[] = [];

  #store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string): string | undefined => attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? '/';
      const expires = attr('expires');
      const isGone = value === '' || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (isGone) this.#cookies.delete(`${name};${path}`);
      else this.#cookies.set(`${name};${path}`, { name, value, path });
    }
  }

  #cookieHeader(url: URL): string {
    const matches = [...this.#cookies.values()].filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matches.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** One request, no redirect following. */
  async request(url: string | URL, form?: Readonly<Record<string, string>>): Promise<Page> {
    const target = new URL(url);
    this.visited.push(target.href);
    const headers: Record<string, string> = { cookie: this.#cookieHeader(target) };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(target, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    this.#store(res.headers.getSetCookie());
    return { status: res.status, url: target.href, headers: res.headers, body: await res.text() };
  }

  /**
   * Requests and follows redirects (303/302 become GET), and submits oidc-provider's auto-posting
   * form_post pages as a browser with script would. Stops at the first other page.
   */
  async navigate(url: string | URL, form?: Readonly<Record<string, string>>): Promise<Page> {
    let page = await this.request(url, form);
    for (let hops = 0; hops < 20; hops++) {
      const location = page.headers.get('location');
      if (page.status >= 300 && page.status < 400 && location) {
        page = await this.request(new URL(location, page.url));
      } else if (page.status === 200 && page.body.includes('document.forms[0].submit()')) {
        const next = firstForm(page.body);
        if (!next) return page;
        page = await this.request(new URL(next.action, page.url), next.hidden);
      } else return page;
    }
    throw new Error('too many redirects');
  }
}

export type CallbackListener = Readonly<{ redirectUri: string; received: URL[]; close: () => Promise<void> }>;

/** The app's side of RFC 8252 §7.3: a one-off loopback listener on a random port at /oidc/callback. */
export async function startCallbackListener(): Promise<CallbackListener> {
  const received: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (url.pathname === '/oidc/callback') received.push(url);
    res.writeHead(url.pathname === '/oidc/callback' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end('You can close this window and return to OnScene.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/oidc/callback`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Discovery as the app does it: public client (no secret); http is allowed for the loopback sandbox only. */
export function discoverClient(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), ONSCENE_CLIENT_ID, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

export type AuthorizationAttempt = Readonly<{ url: URL; verifier: string; state: string }>;

/**
 * An authorization request with PKCE S256 and state; `redirectUri` may be any string, to test
 * refusals; `extra` adds parameters (e.g. `prompt`, `nonce`).
 */
export async function authorizationRequest(config: oidc.Configuration, redirectUri: string, extra: Readonly<Record<string, string>> = {}): Promise<AuthorizationAttempt> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, verifier, state };
}

export type SignIn = Readonly<{ tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers; callbackUrl: URL }>;

/** The whole happy path: authorize, fill the form, land on the loopback callback, redeem the code. */
export async function signIn(config: oidc.Configuration, browser: TestBrowser, username: string, password: string, extra: Readonly<Record<string, string>> = {}): Promise<SignIn> {
  const callback = await startCallbackListener();
  try {
    const attempt = await authorizationRequest(config, callback.redirectUri, extra);
    const login = await browser.navigate(attempt.url);
    const form = firstForm(login.body);
    if (login.status !== 200 || !form) throw new Error(`expected the sign-in form, got HTTP ${login.status}`);
    await browser.navigate(new URL(form.action, login.url), { username, password });
    const callbackUrl = callback.received[0];
    if (!callbackUrl) throw new Error('the browser never reached the callback');
    const checks = { pkceCodeVerifier: attempt.verifier, expectedState: attempt.state, ...(extra.nonce ? { expectedNonce: extra.nonce } : {}) };
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, checks);
    return { tokens, callbackUrl };
  } finally {
    await callback.close();
  }
}
