/**
 * The walking skeleton through a real browser: the built renderer in headless Chromium, served by
 * the real web shell, backed by the real services and the sandbox central record (`startDemo`).
 * The demo cast is enrolled on the data folder first, as if each had signed in online once
 * (online sign-in itself is onlineSignIn.e2e.ts). Elements are found by role and accessible name,
 * the way a screen reader finds them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, ensureRendererBuilt, openBrowserPage, visible } from './browser';
import type { Flag } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../core/fhirCodes';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { DEMO_PATIENTS, DEMO_USERS, type DemoUser } from '../../sandbox/demoCast';

function demoUser(userId: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.userId === userId);
  if (!user) throw new Error(`${userId} is missing from the demo cast`);
  return user;
}
const paramedic = demoUser('demo-paramedic-1');
const colleague = demoUser('demo-paramedic-2');
const DNACPR_PATIENT = DEMO_PATIENTS.eolDnacpr;

let dataDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
let origin: string;
/** Anything the page asked for outside its own origin (the app must work with no network). */
const foreignRequests: string[] = [];
/** CSP violations, page errors and dialogs (a dialog would mean injected script ran). */
const pageProblems: string[] = [];

/** Set ONSCENE_E2E_SHOTS=<dir> to keep screenshots of each step for a human to look at. */
async function snap(name: string): Promise<void> {
  const dir = process.env.ONSCENE_E2E_SHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}


async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

/** Signs in once more through the contract (from the page, with its launch token) and reads the audit. */
async function auditEntriesFromPage(): Promise<{ action: string; patientId: string | null; outcome: string; isOffline: boolean }[]> {
  return page.evaluate(
    async ({ userId, pin }) => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage;
      const launch = storage.getItem('onscene.launchToken');
      const post = async (body: unknown) => {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${launch ?? ''}` },
          body: JSON.stringify(body),
        });
        return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
      };
      const signIn = await post({ method: 'session.signIn', params: { userId, pin } });
      if (!signIn.ok) throw new Error(`signIn failed: ${signIn.error?.code ?? 'unknown'}`);
      const { sessionToken } = signIn.value as { sessionToken: string };
      const audit = await post({ method: 'audit.mine', params: { limit: 100 }, sessionToken });
      if (!audit.ok) throw new Error(`audit.mine failed: ${audit.error?.code ?? 'unknown'}`);
      return (audit.value as { entries: { action: string; patientId: string | null; outcome: string; isOffline: boolean }[] }).entries;
    },
    { userId: paramedic.userId, pin: paramedic.pin },
  );
}

async function openDnacprRecord(): Promise<void> {
  const open = page.getByRole('button', { name: /^Open record for .*Exampleton/i });
  await open.click({ timeout: WAIT_MS });
  await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-'));
  // A fresh device enrols nobody: the crew list needs the demo cast enrolled before the app starts.
  await enrolDemoUsers(dataDir);
  // A long interval: the test drives sync itself with the "Sync now" button.
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: 3_600_000 });
  origin = new URL(app.url).origin;
  ({ browser, page } = await openBrowserPage(pageProblems));
  page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(`csp: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('OnScene in a browser', () => {
  it('signs in, lists the assigned incidents and opens the DNACPR patient, safety first, and audits the open', async () => {
    await page.goto(app.url);
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
    expect(new URL(page.url()).hash).toBe(''); // the launch token has left the address bar

    // A wrong PIN for a colleague (so any back-off on wrong PINs cannot delay this user's sign-in).
    await page.getByRole('radio', { name: colleague.displayName }).check();
    await page.getByLabel('PIN').fill('000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await textOf(page.getByRole('alert'))).toMatch(/There is a problem/);

    await page.getByRole('radio', { name: paramedic.displayName }).check();
    await page.getByLabel('PIN').fill(paramedic.pin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
    expect(await textOf(page.getByRole('banner'))).toContain(paramedic.displayName);
    expect(await textOf(page.getByRole('banner'))).toContain('K101');

    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: WAIT_MS });
    await visible(page.getByRole('button', { name: /^Open record for .*Exampleton/i }));
    expect(await page.getByRole('button', { name: /^Open record for / }).count()).toBeGreaterThanOrEqual(3);
    expect(await textOf(page.getByRole('region', { name: 'Sync status' }))).toMatch(/Last synced (just now|\d+ minutes? ago)/);

    await snap('1-incidents');
    await openDnacprRecord();
    await snap('2-record-dnacpr');
    // Focus moves to the new screen's h1 (the patient's name) for screen-reader users.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).toBe('H1');

    const resus = page.getByRole('region', { name: 'Resuscitation decision' });
    await visible(resus.getByRole('heading', { name: 'DNACPR — do not attempt CPR' }));
    expect(await textOf(resus)).toMatch(/Last confirmed (just now|\d+ minutes? ago) \(/);
    // Above the fold: the decision's heading is inside the first screenful.
    const box = await resus.getByRole('heading').boundingBox();
    expect(box && box.y + box.height).toBeLessThan(768);

    const alerts = page.getByRole('region', { name: 'Alerts' });
    expect(await textOf(alerts)).toMatch(/Safety warning/i);
    expect(await textOf(alerts)).toMatch(/Last confirmed/);
    const allergies = page.getByRole('region', { name: 'Allergies' });
    expect(await allergies.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await textOf(allergies)).toMatch(/Last confirmed/);
    const carePlans = page.getByRole('region', { name: 'Care plans' });
    expect(await textOf(carePlans)).toMatch(/End of life care plan/);
    expect(await textOf(carePlans)).toMatch(/Last confirmed/);

    const entries = await auditEntriesFromPage();
    expect(entries.some((e) => e.action === 'record.open' && e.patientId === DNACPR_PATIENT && e.outcome === 'success')).toBe(true);
  });

  it('says offline when the central record is unreachable and still shows the cached record with its age', async () => {
    const { sandbox } = app;
    await sandbox.stopListening();
    try {
      await page.getByRole('button', { name: 'Back to incidents' }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
      await page.getByRole('button', { name: 'Sync now' }).click({ timeout: WAIT_MS });
      const strip = page.getByRole('region', { name: 'Sync status' });
      await visible(strip.getByText('Offline', { exact: true }));
      await visible(page.getByText(/^Offline — showing cached data from /));
      await snap('3-offline-incidents');

      await openDnacprRecord();
      await snap('4-offline-record');
      await visible(page.getByRole('region', { name: 'Resuscitation decision' }).getByRole('heading', { name: 'DNACPR — do not attempt CPR' }));
      expect(await textOf(page.getByText(/^Offline — showing cached data from /))).toMatch(/from (just now|\d+ (minute|hour|day)s? ago)/);
      const entries = await auditEntriesFromPage();
      expect(entries.some((e) => e.action === 'record.open' && e.patientId === DNACPR_PATIENT && e.isOffline)).toBe(true);
    } finally {
      await sandbox.startListening();
    }
  });

  it('renders hostile FHIR text as inert text', async () => {
    const { sandbox } = app;
    const payload = '<img src=x onerror="globalThis.__xssFired=1"><script>globalThis.__xssFired=2</script> Check for sharps';
    const flag: Flag & { id: string } = {
      resourceType: 'Flag',
      id: 'flag-e2e-xss',
      status: 'active',
      category: [{ coding: [{ system: SYSTEMS.flagCategory, code: 'safety' }] }],
      code: { text: payload },
      subject: { reference: `Patient/${DNACPR_PATIENT}` },
    };
    await sandbox.repo.updateResource(flag);

    await page.getByRole('button', { name: 'Back to incidents' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: WAIT_MS });
    await visible(page.getByRole('region', { name: 'Sync status' }).getByText('Online', { exact: true }));
    await openDnacprRecord();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    await visible(alerts.getByText('Check for sharps', { exact: false }));
    expect(await textOf(alerts)).toContain('<img src=x onerror=');
    await snap('5-hostile-text');
    expect(await alerts.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xssFired?: number }).__xssFired)).toBeUndefined();
  });

  it('fetched nothing from the network and broke no content-security rule', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
