/**
 * Issue #4 through a real browser: lock on demand and after inactivity with no patient data in
 * the page, unlock with PIN, the sign-out warning for unsynced work, the PIN back-off shown on
 * the sign-in screen, and break-glass for a cached patient who is not on the crew's incidents
 * (whose name carries HTML, which must render inert). Headless Chromium, the real web shell,
 * services, encrypted store and sandbox central record (`startDemo`), with the demo cast enrolled
 * on the data folder first, as if each had signed in online once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, ensureRendererBuilt, openBrowserPage, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { DEFAULT_SECURITY_POLICY } from '../../main/security/securityPolicy';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';

const IDLE_LOCK_MS = 6_000;
const medic = DEMO_USERS[0]!;
const colleague = DEMO_USERS[1]!;
const HOSTILE_FAMILY = '<img src=x onerror="globalThis.__xssFired=1">Hostileton';

let dataDir: string;
let shotsDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];


/** The open encrypted store (a user is signed in), for assertions on what is on disk. */
function openStore() {
  const store = app.web.app.services.store.current();
  if (!store) throw new Error('the store is not open (nobody signed in)');
  return store;
}

/** Every synthetic patient name part and NHS number (plain and spaced) cached on this device. */
async function patientSecrets(): Promise<string[]> {
  const staff = new Set(DEMO_USERS.flatMap((u) => u.displayName.split(' ')));
  const patients = await app.web.app.services.store.repo().ofType<Patient>('Patient');
  return patients.flatMap(({ resource }) => {
    const names = (resource.name ?? []).flatMap((n) => [n.family ?? '', ...(n.given ?? [])]).filter((w) => w.length > 2 && !staff.has(w));
    const nhs = (resource.identifier ?? []).map((i) => i.value ?? '').filter((v) => /^\d{10}$/.test(v));
    return [...names, ...nhs, ...nhs.map((n) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`)];
  });
}

async function expectNoPatientDataInPage(label: string): Promise<void> {
  const shot = path.join(shotsDir, `${label}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  expect(fs.statSync(shot).size).toBeGreaterThan(1000);
  const html = await page.content();
  const secrets = await patientSecrets();
  expect(secrets.length).toBeGreaterThan(8);
  for (const secret of secrets) expect(html.includes(secret), `${label}: page holds "${secret.slice(0, 3)}…"`).toBe(false);
}

async function signIn(userId: string, displayName: string, pin: string): Promise<void> {
  await page.getByRole('radio', { name: displayName }).check();
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  void userId;
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-sec-'));
  shotsDir = process.env.ONSCENE_E2E_SHOTS ?? path.join(dataDir, 'shots');
  fs.mkdirSync(shotsDir, { recursive: true });
  // A fresh device enrols nobody: the crew list needs the demo cast enrolled before the app starts.
  await enrolDemoUsers(path.join(dataDir, 'data'));
  app = await startDemo({
    dataDir: path.join(dataDir, 'data'),
    sandboxPatients: 20,
    syncIntervalMs: 3_600_000,
    config: { policy: { ...DEFAULT_SECURITY_POLICY, idleLockMs: IDLE_LOCK_MS } },
  });
  ({ browser, page } = await openBrowserPage(pageProblems));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('sessions and access in a browser', () => {
  it('locks on demand with no patient data in the page, and unlocks only with the PIN', async () => {
    await page.goto(app.url);
    await signIn(medic.userId, medic.displayName, medic.pin);
    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: WAIT_MS });
    await page.getByRole('button', { name: /^Open record for .*Exampleton/i }).click({ timeout: WAIT_MS });
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));

    await page.getByRole('button', { name: 'Lock OnScene' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'OnScene is locked' }));
    await expectNoPatientDataInPage('lock-on-demand');

    await page.getByLabel('PIN').fill(colleague.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await visible(page.getByRole('alert'));
    await expectNoPatientDataInPage('lock-wrong-pin');
    await page.getByLabel('PIN').fill(medic.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
  });

  it('locks by itself after inactivity', async () => {
    await visible(page.getByRole('button', { name: /^Open record for / }).first());
    await page.getByRole('heading', { level: 1, name: 'OnScene is locked' }).waitFor({ state: 'visible', timeout: IDLE_LOCK_MS + 10_000 });
    await expectNoPatientDataInPage('lock-idle');
    await page.getByLabel('PIN').fill(medic.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Your incidents' }));
  });

  it('breaks the glass for a cached patient not on an assigned incident: reason, time limit, audit; hostile text stays text', async () => {
    // A patient this device holds for another reason (e.g. area caseload), named with an HTML payload.
    const other = await app.sandbox.repo.readResource('Patient', DEMO_PATIENTS.otherVehicle);
    const hostile: Patient = { ...(other as Patient), name: [{ family: HOSTILE_FAMILY, given: ['Olive'] }] };
    await app.web.app.services.store.repo().upsertAll([{ ...hostile, id: DEMO_PATIENTS.otherVehicle } as Patient & { id: string } & Record<string, unknown>], new Date().toISOString());
    const nhs = hostile.identifier!.find((i) => /^\d{10}$/.test(i.value ?? ''))!.value!;

    await page.getByRole('button', { name: 'Find a patient by NHS number' }).click();
    await page.getByLabel('NHS number').fill(nhs);
    await page.getByRole('button', { name: 'Find patient' }).click();
    const access = page.getByRole('button', { name: /^Emergency access to / });
    await visible(access);
    expect(await page.getByRole('list', { name: 'Patients found' }).locator('img, script').count()).toBe(0);
    await access.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Emergency access' }));
    await page.getByRole('button', { name: 'Open record with emergency access' }).click();
    await visible(page.getByRole('alert')); // no reason chosen: refused with a plain message
    await page.getByRole('radio', { name: /Emergency care of this patient/ }).check();
    await page.getByLabel('Explain in your own words').fill('Found collapsed outside the station, crew flagged down');
    await page.getByRole('button', { name: 'Open record with emergency access' }).click();
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    await visible(page.getByText(/^Emergency access until \d\d:\d\d\. This access is flagged for review\.$/));
    // Shown as text (the family name is upper-cased by the name formatter), never as an element.
    expect((await page.getByRole('heading', { level: 1 }).innerText()).toLowerCase()).toContain('<img src=x onerror=');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xssFired?: number }).__xssFired)).toBeUndefined();

    const audit = openStore().audit.recentForUser(medic.userId, 20);
    expect(audit.some((row) => row.action === 'break-glass' && row.patientId === DEMO_PATIENTS.otherVehicle)).toBe(true);
    expect(audit.some((row) => row.action === 'record.open' && row.patientId === DEMO_PATIENTS.otherVehicle)).toBe(true);
  });

  it('warns before signing out with unsynced work, and keeps it', async () => {
    await openStore().outbox.upsert({
      key: 'Observation/obs-e2e-1',
      resourceType: 'Observation',
      resourceId: 'obs-e2e-1',
      patientId: DEMO_PATIENTS.eolDnacpr,
      seq: 1,
      resource: { resourceType: 'Observation', id: 'obs-e2e-1', status: 'final', performer: [{ reference: `Practitioner/${medic.practitionerId}` }] },
      baseVersionId: '',
      recordedAt: new Date().toISOString(),
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('heading', { name: /You have work that has not reached the central record yet/ }));
    expect(await page.getByText(/1 record you made/).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out and keep my work on this laptop' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }));
    expect(await openStore().outbox.count().exec()).toBe(1);
    await expectNoPatientDataInPage('signed-out');
  });

  it('shows how long to wait after too many wrong PINs', async () => {
    for (let i = 0; i < 4; i++) {
      await signIn(colleague.userId, colleague.displayName, '000000');
      await visible(page.getByRole('alert'));
    }
    await visible(page.getByText(/^Too many wrong PINs\. Wait \d+ seconds before trying again\.$/).first());
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(shotsDir, 'sign-in-backoff.png') });
  });

  it('raised no page errors or dialogs', () => {
    expect(pageProblems).toEqual([]);
  });
});
