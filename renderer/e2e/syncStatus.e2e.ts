/**
 * Issue #14 end to end: the built renderer in headless Chromium, the real web shell and services,
 * the sandbox central record with its fault switch. An incident leaves this vehicle while its
 * record is open, the signal goes, and when the handover time ends the open record says it was
 * removed and why; a triage set recorded without signal waits to upload and the strip says so;
 * the sync detail screen (from the strip and from the header, by keyboard) says what waits, why,
 * and what was removed. axe-core on the strip, the record state and the detail screen, day and
 * night; screenshots in screenshotDir('sync-status'). Elements are found by role and name only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient, Task } from '@medplum/fhirtypes';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, ensureRendererBuilt, openBrowserPage, screenshotDir, seriousFindingsDayAndNight, snapDayAndNight, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { patientSummary } from '../../core/recordView';
import { DEMO_INCIDENTS, DEMO_USERS } from '../../sandbox/demoCast';

const paramedic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1');
if (!paramedic) throw new Error('demo-paramedic-1 is missing from the demo cast');

/** Short, so the test sees the handover time end; the timer runs the offline purge after each failed sync. */
const GRACE_MS = 8_000;
const SYNC_INTERVAL_MS = 3_000;
const LEAVING_TASK = DEMO_INCIDENTS.k101[2];

let dataDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const shots = screenshotDir('sync-status');

const snap = (name: string) => snapDayAndNight(page, shots, name);

/** No serious or critical axe-core finding inside `within` (the parts this issue adds), day and night. */
async function expectAccessible(screen: string, within: Locator): Promise<void> {
  const found = await seriousFindingsDayAndNight(page, within);
  expect(found.day, `${screen} (day)`).toEqual([]);
  expect(found.night, `${screen} (night)`).toEqual([]);
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const strip = () => page.getByRole('region', { name: 'Sync status' });
const field = (label: string) => page.getByLabel(label, { exact: true });

async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

async function signIn(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(app.url);
  await visible(heading('Sign in to OnScene'));
  await page.getByRole('radio', { name: paramedic?.displayName }).check();
  await page.getByLabel('PIN').fill(paramedic?.pin ?? '');
  await button('Sign in').click();
  await visible(heading('Your incidents'));
}

async function nameOfTaskPatient(taskId: string): Promise<string> {
  const task = await app.sandbox.repo.readResource<Task>('Task', taskId);
  const patient = await app.sandbox.repo.readResource<Patient>('Patient', (task.for?.reference ?? '').replace('Patient/', ''));
  return patientSummary(patient).name;
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-sync-status-'));
  await enrolDemoUsers(dataDir);
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: SYNC_INTERVAL_MS, config: { incidentGraceMs: GRACE_MS } });
  ({ browser, page } = await openBrowserPage(pageProblems));
});

afterAll(async () => {
  app?.sandbox.faults.setOffline(false);
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Sync status in a browser (issue #14)', () => {
  let leaving = '';
  let staying = '';

  it('an open record whose incident left the vehicle says, when its hold expires offline, that it was removed and why', async () => {
    await signIn();
    leaving = await nameOfTaskPatient(LEAVING_TASK);
    staying = await nameOfTaskPatient(DEMO_INCIDENTS.k101[0]);
    const open = button(`Open record for ${leaving}`);
    if (!(await open.isVisible())) await button('Sync now').click();
    await open.click();
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    await visible(page.getByRole('region', { name: 'Record sync state' }));
    expect(await textOf(page.getByRole('region', { name: 'Record sync state' }))).toMatch(/^Up to date with the central record as of /);

    // Dispatch gives the incident to another vehicle; this device hears it on the next sync, then loses signal.
    const task = await app.sandbox.repo.readResource<Task>('Task', LEAVING_TASK);
    await app.sandbox.repo.updateResource({ ...task, owner: { reference: 'Device/vehicle-K202' } });
    await button('Sync now').click();
    await visible(strip().getByText('Online'));
    app.sandbox.faults.setOffline(true);
    await visible(strip().getByText('Offline'));
    // The record stays on screen through the handover time, then goes with a reason.
    const removed = page.getByRole('alert').filter({ hasText: 'Removed from this device' });
    await removed.waitFor({ state: 'visible', timeout: GRACE_MS + 4 * SYNC_INTERVAL_MS + WAIT_MS });
    expect(await textOf(removed)).toMatch(/This record was removed from this device at \d{2}:\d{2} on .+\. The incident was closed or given to another vehicle, and the handover time after it ended\./);
    expect(await page.getByRole('region', { name: 'Resuscitation decision' }).count()).toBe(0);
    await snap('1-record-removed');
  });

  it('a triage set recorded without signal waits to upload, and the strip and the record say so', async () => {
    await button('Back to incidents').click();
    await visible(heading('Your incidents'));
    expect(await button(`Open record for ${leaving}`).count()).toBe(0);
    await button(`Open record for ${staying}`).click();
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    await button('Start triage').click();
    await visible(page.getByRole('heading', { level: 1, name: 'Set 1 of observations' }));
    await field('Respiration rate').fill('22');
    await field('SpO2').fill('95');
    await page.getByRole('radio', { name: 'On air' }).check();
    await field('Systolic blood pressure').fill('118');
    await field('Diastolic blood pressure').fill('76');
    await field('Pulse').fill('96');
    await page.getByRole('radio', { name: /^A — Alert$/ }).check();
    await field('Temperature').fill('37.8');
    await field('Temperature').blur();
    await button('Record this set').click();
    await visible(page.getByRole('heading', { level: 1, name: 'Set 1 recorded' }));
    const waiting = strip().getByRole('button', { name: /^\d+ uploads? waiting for signal$/ });
    await visible(waiting);
    await button('Back to record').click();
    const state = page.getByRole('region', { name: 'Record sync state' });
    expect(await textOf(state)).toMatch(/\d+ changes? waiting to upload \((.*observation.*)\)\. Kept on this device until the central record has them\./);
    await expectAccessible('sync strip', strip());
    await expectAccessible('record sync state', state);
    await snap('2-upload-waiting');
  });

  it('the detail screen, from the strip, says what waits and why, and what was removed and why', async () => {
    await strip().getByRole('button', { name: /^\d+ uploads? waiting for signal$/ }).click();
    await visible(heading('Sync details'));
    const uploads = page.getByRole('region', { name: 'Waiting to upload' });
    expect(await textOf(uploads)).toMatch(new RegExp(`\\d+ × Observation for ${staying} First recorded .+\\. No signal\\. It uploads by itself when there is\\.`));
    const removed = page.getByRole('region', { name: 'Removed from this device' });
    expect(await textOf(removed)).toMatch(/The incident was closed or given to another vehicle, and the handover time after it ended\. \d+ items removed\./);
    expect(await textOf(page.getByRole('region', { name: 'Offline' }))).toMatch(/What to do: Nothing to do: OnScene keeps trying/);
    await visible(page.getByRole('region', { name: 'Records kept on this device' }).getByText(/^Incident patients/));
    await expectAccessible('sync detail', page.locator('main'));
    await snap('3-sync-detail');
  });

  it('is reachable from the header by keyboard alone, and the uploads go once the signal returns', async () => {
    await button('Back').click();
    await visible(page.getByRole('region', { name: 'Record sync state' }));
    const headerButton = page.getByRole('banner').getByRole('button', { name: 'Uploads and sync' });
    await headerButton.focus();
    await page.keyboard.press('Enter');
    await visible(heading('Sync details'));
    app.sandbox.faults.setOffline(false);
    await strip().getByRole('button', { name: 'Sync now' }).click();
    await visible(page.getByRole('region', { name: 'Waiting to upload' }).getByText(/^Nothing is waiting/));
    expect(await strip().getByRole('button', { name: /uploads? waiting/ }).count()).toBe(0);
    await snap('4-uploaded');
  });

  it('broke no content-security rule and raised no script error', () => {
    expect(pageProblems).toEqual([]);
  });
});
