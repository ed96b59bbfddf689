import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors, interactionPolicy } from 'oidc-provider';
import { BodyTooLargeError, readBody } from '../httpIo';
import { PAGE_HEADERS, renderLoginPage, renderMessagePage } from './loginPage';

/** A person who can sign in: `userId` becomes the ID token's `sub`, `displayName` its `name`. */
export type IdentityUser = Readonly<{ userId: string; displayName: string; password: string }>;

export const INTERACTION_PATH = '/interaction/';
const UID = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const MAX_FORM_BYTES = 8 * 1024;

/**
 * oidc-provider's default policy, plus: every authorization shows the sign-in form, even with a live
 * provider session. Vehicle laptops are shared, so a browser session must never sign the next crew
 * member in as the previous one. The check passes once this request has a fresh login result.
 */
export function signInEveryTimePolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider base policy has no login prompt');
  login.checks.add(
    new interactionPolicy.Check('sign_in_every_time', 'Every authorization signs in again', 'login_required', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT),
  );
  return policy;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time on the digests, so response time does not leak how much of a password matched. */
function findUser(users: ReadonlyMap<string, IdentityUser>, username: string, password: string): IdentityUser | undefined {
  const user = users.get(username);
  const expected = sha256(user?.password ?? '\u0000no such user');
  const isMatch = timingSafeEqual(expected, sha256(password));
  return user && isMatch ? user : undefined;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}

function sendExpired(res: ServerResponse): void {
  send(res, 400, renderMessagePage('Sign-in has expired', 'This sign-in page is no longer valid.', 'Go back to OnScene and choose Sign in again.'));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  try {
    return new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
  } catch (err) {
    if (err instanceof BodyTooLargeError) return undefined;
    throw err;
  }
}

/** Scopes the user consents to: the requested ones the provider knows, granted without asking (first-party client). */
function requestedScopes(params: Readonly<Record<string, unknown>>, known: ReadonlySet<string>): string[] {
  const scope = typeof params.scope === 'string' ? params.scope : '';
  return scope.split(' ').filter((s) => known.has(s));
}

async function completeSignIn(provider: Provider, req: IncomingMessage, res: ServerResponse, user: IdentityUser, knownScopes: ReadonlySet<string>): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
  const grant = new provider.Grant({ accountId: user.userId, clientId });
  grant.addOIDCScope(requestedScopes(details.params, knownScopes));
  const grantId = await grant.save();
  // One screen: login and consent are one result, so the browser goes straight back to the app.
  // remember: false keeps the provider session to this browser session only.
  await provider.interactionFinished(req, res, { login: { accountId: user.userId, remember: false }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

export type InteractionDeps = Readonly<{ provider: Provider; users: readonly IdentityUser[]; scopes: readonly string[] }>;

/**
 * Our own sign-in screen at /interaction/<uid> (GET shows it, POST checks the pair). A wrong pair
 * re-renders the form with 401 and never finishes the interaction, so no code is issued.
 * CSRF: the interaction cookie is SameSite=Lax and path-scoped to this uid, so a cross-site POST has none.
 */
export function createInteractionHandler(deps: InteractionDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const users = new Map(deps.users.map((u) => [u.userId, u]));
  const knownScopes = new Set(deps.scopes);
  return async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const uid = UID.exec(pathname)?.[1];
    if (!uid || (req.method !== 'GET' && req.method !== 'POST')) {
      send(res, 404, renderMessagePage('Page not found', 'There is no sign-in page at this address.', 'Go back to OnScene and choose Sign in again.'));
      return;
    }
    try {
      const details = await deps.provider.interactionDetails(req, res);
      if (details.uid !== uid) return sendExpired(res);
      const action = `${INTERACTION_PATH}${uid}`;
      if (req.method === 'GET') return send(res, 200, renderLoginPage({ action }));
      const form = await readForm(req);
      const username = form?.get('username')?.trim() ?? '';
      const user = findUser(users, username, form?.get('password') ?? '');
      if (!user) return send(res, 401, renderLoginPage({ action, username, isWrong: true }));
      await completeSignIn(deps.provider, req, res, user, knownScopes);
    } catch (err) {
      if (err instanceof errors.SessionNotFound) return sendExpired(res);
      throw err;
    }
  };
}
