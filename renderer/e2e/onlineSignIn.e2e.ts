/**
 * Issue #9 "Done when": `npm start`'s one-command demo (`startDemo`) signs in through the sandbox's
 * OpenID Connect provider in Chromium. A fresh data folder (nobody enrolled), the real web shell and
 * services, the sandbox central record and its identity provider (authorization code + PKCE), and
 * the provider's own login page. Elements are found by role and accessible name; each OnScene screen
 * is checked with axe-core and photographed for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, axeFindings, ensureRendererBuilt, openBrowserPage, screenshotDir, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { KEY_FILE } from '../../main/security/keyVault';
import { caller } from '../../main/services/testCalls';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { LOGIN_ERROR, LOGIN_TITLE } from '../../sandbox/identity/loginPage';

const medic = DEMO_USERS[0]!;
const colleague = DEMO_USERS[1]!;
/** The PIN this user chooses at enrolment: not the demo cast's, so only this flow can have set it. */
const CHOSEN_PIN = '864209';

let dataDir: string;
let shotsDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
let origin: string;
let issuerOrigin: string;
/** Page errors, dialogs and CSP refusals, on our pages and the provider's. */
const pageProblems: string[] = [];
/** Every address the page asked for outside OnScene and its identity provider. */
const foreignRequests: string[] = [];
/** Every request to the identity provider, in order (offline sign-in must add none). */
const providerRequests: string[] = [];
/** Where the web shell's /oidc/callback sent the browser each time (`/#signin=<ticket>`). */
const callbackRedirects: string[] = [];

const onProvider = () => new URL(page.url()).origin === issuerOrigin;
const call = caller(() => app.web.app);
const enrolledUserIds = async () => (await call.value('session.users', {})).users.map((u) => u.userId);

async function text(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** A screenshot of an OnScene screen, and no axe-core violations on it. */
async function checkScreen(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  expect(await axeFindings(page), `${name}: axe-core violations`).toEqual([]);
}

async function focusedElement(): Promise<{ tag: string; id: string; text: string }> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string | null } | null } }).document.activeElement;
    return { tag: active?.tagName ?? '', id: active?.id ?? '', text: active?.textContent ?? '' };
  });
}

/** From OnScene's sign-in screen to the provider's login page. */
async function startOnlineSignIn(): Promise<void> {
  await page.getByRole('button', { name: 'Sign in online' }).click();
  await page.waitForURL((url) => url.origin === issuerOrigin, { timeout: WAIT_MS });
  await visible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
  expect(await page.title()).toBe(LOGIN_TITLE);
}

async function submitProviderLogin(username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Back on OnScene's own page, on the screen whose h1 is `heading`, with focus on that heading. */
async function expectBackOnOnScene(heading: string): Promise<void> {
  await visible(page.getByRole('heading', { level: 1, name: heading }));
  expect(new URL(page.url()).origin).toBe(origin);
  // The one-use ticket has left the address bar (and so history and a shared screen).
  expect(new URL(page.url()).hash).toBe('');
  const focused = await focusedElement();
  expect(focused).toMatchObject({ tag: 'H1', text: heading });
}

async function fillChosenPins(pin: string, again: string): Promise<void> {
  await page.getByLabel('New PIN', { exact: true }).fill(pin);
  await page.getByLabel('New PIN again', { exact: true }).fill(again);
  await page.getByRole('button', { name: 'Set PIN and sign in' }).click();
}

/** The error summary (role=alert, focused) names the problem and links to the field, which describes it too. */
async function expectFieldError(message: string, fieldId: string): Promise<void> {
  const summary = page.getByRole('alert');
  expect(await text(summary)).toContain('There is a problem');
  const link = summary.getByRole('link', { name: message });
  await visible(link);
  expect(await link.getAttribute('href')).toBe(`#${fieldId}`);
  const field = page.locator(`#${fieldId}`);
  expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(`${fieldId}-error`);
  expect(await text(page.locator(`#${fieldId}-error`))).toContain(message);
  await link.click();
  expect((await focusedElement()).id).toBe(fieldId);
}

async function expectIncidents(): Promise<void> {
  await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
  const banner = await text(page.getByRole('banner'));
  expect(banner).toContain(medic.displayName);
  expect(banner).toContain('Paramedic');
  expect(banner).toContain(`Vehicle ${medic.vehicle ?? ''}`);
  // The demo vehicle's incidents, the DNACPR patient's among them (synced, not an empty list).
  await visible(page.getByRole('button', { name: /^Open record for .*Exampleton/i }));
  expect(await page.getByRole('button', { name: /^Open record for / }).count()).toBeGreaterThanOrEqual(3);
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
  await visible(page.getByText('You have signed out.'));
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-online-'));
  shotsDir = screenshotDir('online-sign-in');
  // Nobody is enrolled: this data folder has never run, and no demo users are put on it.
  app = await startDemo({ dataDir, sandboxPatients: 20, syncIntervalMs: 3_600_000 });
  origin = new URL(app.url).origin;
  issuerOrigin = new URL(app.sandbox.issuer ?? '').origin;
  ({ browser, page } = await openBrowserPage(pageProblems));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(`${issuerOrigin}/`)) providerRequests.push(url);
    else if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('response', (response) => {
    const location = response.headers().location;
    if (new URL(response.url()).pathname === '/oidc/callback' && location) callbackRedirects.push(location);
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(`csp on ${page.url()}: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.ONSCENE_E2E_SHOTS && shotsDir) fs.rmSync(shotsDir, { recursive: true, force: true });
});

describe('online sign-in through the sandbox identity provider, in a browser', () => {
  it('on a fresh device says nobody has signed in and offers online sign-in', async () => {
    await page.goto(app.url);
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
    expect(new URL(page.url()).hash).toBe(''); // the launch token has left the address bar
    await visible(page.getByText('Nobody has signed in on this device yet.', { exact: false }));
    expect(await page.getByRole('radio').count()).toBe(0);
    await visible(page.getByRole('heading', { level: 2, name: 'Sign in for the first time' }));
    await visible(page.getByRole('button', { name: 'Sign in online' }));
    await checkScreen('1-sign-in-nobody-enrolled');
  });

  it('keeps a wrong password on the provider’s page, and enrols nobody', async () => {
    await startOnlineSignIn();
    await submitProviderLogin(medic.userId, 'not-the-password');
    expect(await text(page.getByRole('alert'))).toBe(LOGIN_ERROR);
    expect(onProvider()).toBe(true);
    expect(await page.getByLabel('Username').inputValue()).toBe(medic.userId);
    await page.screenshot({ path: path.join(shotsDir, '2-provider-wrong-password.png'), fullPage: true });
    expect(await enrolledUserIds()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, KEY_FILE))).toBe(false);
  });

  it('comes back to OnScene with the right password, greets the user and asks them to choose a PIN', async () => {
    await submitProviderLogin(medic.userId, medic.password);
    await expectBackOnOnScene('Choose your OnScene PIN');
    const greeting = await text(page.getByText(/^Signed in as /));
    expect(greeting).toBe(`Signed in as ${medic.displayName}, Paramedic · Vehicle ${medic.vehicle ?? ''}.`);
    await visible(page.getByLabel('New PIN', { exact: true }));
    await visible(page.getByLabel('New PIN again', { exact: true }));
    // Still nobody enrolled: choosing the PIN is what enrols.
    expect(await enrolledUserIds()).toEqual([]);
    await checkScreen('3-choose-pin');
    // The night theme (used in a dark cab) passes the same checks.
    const night = page.getByRole('button', { name: 'Night mode' });
    await night.click();
    expect(await night.getAttribute('aria-pressed')).toBe('true');
    await checkScreen('3-choose-pin-night');
    await night.click();
    expect(await night.getAttribute('aria-pressed')).toBe('false');
  });

  it('refuses a 4-digit PIN and two PINs that differ, each with a linked error', async () => {
    await fillChosenPins('1234', '1234');
    await expectFieldError('Choose a PIN of at least 6 digits (numbers only)', 'online-pin');
    await checkScreen('4-choose-pin-too-short');

    await fillChosenPins(CHOSEN_PIN, '864208');
    await expectFieldError('The two PINs are not the same. Enter the same PIN twice', 'online-pin-again');
    expect(await enrolledUserIds()).toEqual([]);
    await checkScreen('5-choose-pin-mismatch');
  });

  it('signs in with a good PIN and shows the demo incidents', async () => {
    await fillChosenPins(CHOSEN_PIN, CHOSEN_PIN);
    await expectIncidents();
    expect(await enrolledUserIds()).toEqual([medic.userId]);
    expect(fs.existsSync(path.join(dataDir, KEY_FILE))).toBe(true);
    await checkScreen('6-incidents');
  });

  it('after signing out, signs in offline with the chosen PIN from the crew list, without the provider or the central record', async () => {
    await signOut();
    const radio = page.getByRole('radio', { name: medic.displayName });
    await visible(radio);
    expect(await page.getByRole('radio').count()).toBe(1);
    await visible(page.getByRole('heading', { level: 2, name: 'New to this device, or asked to sign in online?' }));
    await checkScreen('7-sign-in-crew-list');

    const providerCalls = providerRequests.length;
    await app.sandbox.stopListening();
    try {
      await radio.check();
      await page.getByLabel('PIN', { exact: true }).fill(CHOSEN_PIN);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
      expect(await text(page.getByRole('banner'))).toContain(medic.displayName);
      // The cached incidents, from the encrypted store the chosen PIN opened.
      await visible(page.getByRole('button', { name: /^Open record for .*Exampleton/i }));
      expect(providerRequests.length).toBe(providerCalls);
    } finally {
      await app.sandbox.startListening();
    }
  });

  it('a second online sign-in of the same user asks for their PIN, not a new one', async () => {
    await signOut();
    await startOnlineSignIn();
    await submitProviderLogin(medic.userId, medic.password);
    await expectBackOnOnScene('Enter your PIN');
    expect(await text(page.getByText(/^Signed in as /))).toBe(`Signed in as ${medic.displayName}, Paramedic · Vehicle ${medic.vehicle ?? ''}.`);
    expect(await page.getByLabel('New PIN again').count()).toBe(0);
    await checkScreen('8-enter-pin');

    await page.getByLabel('PIN', { exact: true }).fill(CHOSEN_PIN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectIncidents();
    expect(await enrolledUserIds()).toEqual([medic.userId]);
  });

  it('refuses a sign-in ticket that was already used, with a plain notice', async () => {
    const used = callbackRedirects.at(-1);
    expect(used).toMatch(/^\/#signin=[A-Za-z0-9_-]{16,64}$/);
    await page.goto('about:blank');
    await page.goto(`${origin}${used ?? ''}`); // a new document, as after the provider's redirect
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
    await visible(page.getByRole('status').getByText('This online sign-in has expired. Start online sign-in again.'));
    expect(new URL(page.url()).hash).toBe('');
    expect(await focusedElement()).toMatchObject({ tag: 'H1', text: 'Sign in to OnScene' });
    expect(await page.getByRole('radio').count()).toBe(1);
  });

  it('cancelling at the choose-PIN step enrols nobody new and returns to sign-in with focus on its heading', async () => {
    await startOnlineSignIn();
    await submitProviderLogin(colleague.userId, colleague.password);
    await expectBackOnOnScene('Choose your OnScene PIN');
    expect(await text(page.getByText(/^Signed in as /))).toContain(colleague.displayName);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
    expect(await focusedElement()).toMatchObject({ tag: 'H1', text: 'Sign in to OnScene' });
    expect(await page.getByRole('radio', { name: colleague.displayName }).count()).toBe(0);
    expect(await enrolledUserIds()).toEqual([medic.userId]);
  });

  it('asked for nothing outside OnScene and its identity provider, and broke no content-security rule', () => {
    expect(providerRequests.length).toBeGreaterThan(0);
    expect(callbackRedirects).toHaveLength(3); // the medic twice, the colleague once; the wrong password never came back
    expect(foreignRequests).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
