/**
 * Care-plan contributions and conflict review end to end (issue #14): the built renderer in
 * headless Chromium, the real web shell and services, the sandbox central record over HTTP, and a
 * second vehicle's OnScene (a headless core of its own, its own encrypted store) on the same
 * sandbox. A crew adds "plan used" to a care plan: it shows at once as waiting to upload and
 * reaches the sandbox. Both vehicles then add information to the same plan; the second to sync
 * reviews both versions side by side and keeps the shared care record's. axe-core on each screen;
 * screenshots in screenshotDir('care-plans'). Elements are found by role and accessible name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CarePlan, Communication, Patient, Task } from '@medplum/fhirtypes';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, ensureRendererBuilt, openBrowserPage, screenshotDir, seriousFindingsDayAndNight, snapDayAndNight, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { type TestCore, caller, enrolDemoUsers, startCore, tempDataDir } from '../../main/services/testCalls';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';
import { buildIncident } from '../../sandbox/synthIncidents';

const paramedic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1');
if (!paramedic) throw new Error('demo-paramedic-1 is missing from the demo cast');
const PATIENT = DEMO_PATIENTS.eolDnacpr;
const PLAN = 'careplan-000001-eol';
const OTHER_INCIDENT = 'task-k202-backup';

let dataDir: string;
let app: Demo;
let other: TestCore;
const otherCalls = caller(() => other);
let browser: Browser;
let page: Page;
let patientName: string;
const pageProblems: string[] = [];
const shots = screenshotDir('care-plans');

const snap = (name: string) => snapDayAndNight(page, shots, name);

/** No serious or critical axe-core finding on the screen as it is now, day and night. */
async function expectAccessible(screen: string): Promise<void> {
  const found = await seriousFindingsDayAndNight(page);
  expect(found.day, `${screen} (day)`).toEqual([]);
  expect(found.night, `${screen} (night)`).toEqual([]);
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const strip = () => page.getByRole('region', { name: 'Sync status' });
const plans = () => page.getByRole('region', { name: 'Care plans' });

async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

async function syncNow(): Promise<void> {
  await strip().getByRole('button', { name: 'Sync now' }).click();
  await visible(strip().getByRole('button', { name: 'Sync now' }).and(page.locator(':enabled')));
}

async function centralPlan(): Promise<CarePlan> {
  return app.sandbox.repo.readResource<CarePlan>('CarePlan', PLAN);
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-care-plans-e2e-'));
  await enrolDemoUsers(dataDir);
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: 3_600_000 });
  const patient = await app.sandbox.repo.readResource<Patient>('Patient', PATIENT);
  patientName = patient.name?.[0]?.given?.[0] ?? '';
  // A second vehicle (K202) sent to the same patient, with its own OnScene.
  const backup: Task = buildIncident({
    id: OTHER_INCIDENT, incidentNumber: 'CAD-2026-990202', status: 'in-progress', priority: 'asap', description: 'Backup crew',
    patientId: PATIENT, vehicle: 'K202', authoredAtMs: Date.now() - 60_000, lastModifiedAtMs: Date.now() - 60_000,
  });
  await app.sandbox.repo.updateResource<Task>({ ...backup, id: OTHER_INCIDENT });
  other = await startCore(tempDataDir('care-plans-k202'), [], app.sandbox.baseUrl, {
    config: { vehicle: 'K202', centralToken: app.sandbox.serviceToken, storeName: 'onscene-k202' },
  });
  ({ browser, page } = await openBrowserPage(pageProblems));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await other?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signInAndOpenRecord(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(app.url);
  await visible(heading('Sign in to OnScene'));
  await page.getByRole('radio', { name: paramedic?.displayName }).check();
  await page.getByLabel('PIN').fill(paramedic?.pin ?? '');
  await button('Sign in').click();
  await visible(heading('Your incidents'));
  const open = page.getByRole('button', { name: new RegExp(`^Open record for .*${patientName}`) });
  if ((await open.count()) === 0) {
    await syncNow();
    await visible(open.first());
  }
  await open.first().click();
  await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
}

describe('Care plans in a browser', () => {
  it('adds "plan used" to a care plan: waiting to upload at once, then on the shared care record', async () => {
    await signInAndOpenRecord();
    await plans().getByRole('button', { name: /^Add to this plan/ }).first().click();
    const form = page.getByRole('form', { name: /^Add to this plan/ });
    await form.getByRole('button', { name: 'Save to this plan' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('Choose what you want to add to the plan');
    await form.getByRole('radio', { name: 'The plan was used at this incident' }).check();
    await form.getByRole('button', { name: 'Save to this plan' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('Say whether the plan was followed');
    await form.getByRole('radio', { name: 'Followed', exact: true }).check();
    await form.getByLabel('What happened (optional)').fill('Syringe driver checked, family present');
    await expectAccessible('contribution form');
    await snap('1-contribution-form');
    await form.getByRole('button', { name: 'Save to this plan' }).click();
    await visible(plans().getByRole('status').filter({ hasText: /^Saved on this device at \d{2}:\d{2}\. It is waiting to upload/ }));
    const added = plans().getByRole('list', { name: /^Added by ambulance crews/ });
    expect(await textOf(added)).toMatch(/Plan used by an ambulance crew: Plan followed\. Syringe driver checked, family present.*Waiting to upload/);
    await visible(strip().getByRole('button', { name: /1 upload waiting/ }));
    await expectAccessible('record with a contribution waiting');
    await snap('2-contribution-waiting');

    await syncNow();
    await expect.poll(async () => (await textOf(added)).includes('Waiting to upload'), { timeout: WAIT_MS }).toBe(false);
    // Asked of the sandbox over HTTP, as any other reader of the shared care record would.
    const response = await fetch(`${app.sandbox.baseUrl}/Communication?patient=${PATIENT}`, { headers: { authorization: `Bearer ${app.sandbox.serviceToken}` } });
    const sent = ((await response.json()) as { entry?: { resource: Communication }[] }).entry?.map((e) => e.resource) ?? [];
    expect(sent.filter((c) => c.about?.[0]?.reference === `CarePlan/${PLAN}`).map((c) => c.payload?.map((p) => p.contentString).join(' | '))).toEqual([
      'Plan followed | Syringe driver checked, family present',
    ]);
  });

  it('two vehicles edit one care plan: the second reviews both versions and keeps theirs', async () => {
    // This crew's note is saved but not yet sent...
    await plans().getByRole('button', { name: /^Add to this plan/ }).first().click();
    const form = page.getByRole('form', { name: /^Add to this plan/ });
    await form.getByRole('radio', { name: 'Information for future crews' }).check();
    await form.getByLabel('What to add').fill('Ring the bell twice, the door sticks');
    await form.getByRole('button', { name: 'Save to this plan' }).click();
    await visible(plans().getByRole('status').filter({ hasText: /^Saved on this device/ }));
    // ...when the other vehicle's crew adds theirs and it reaches the central record first.
    const token = await otherCalls.signIn('demo-paramedic-1', paramedic?.pin ?? '');
    await otherCalls.value('sync.run', {}, token);
    await otherCalls.value('careplans.contribute', { patientId: PATIENT, carePlanId: PLAN, incidentId: OTHER_INCIDENT, kind: 'crew-information', text: 'Key safe 4321 by the back door' }, token);
    expect((await otherCalls.value('sync.run', {}, token)).pendingUploads).toBe(0);
    const theirVersion = (await centralPlan()).meta?.versionId;

    await syncNow();
    await strip().getByRole('button', { name: /1 conflict to review/ }).click();
    await visible(heading('Changes to review'));
    await expectAccessible('changes to review');
    await button(/^Review both versions/).click();
    await visible(heading(/^Care plan: /));
    const notes = page.getByRole('region', { name: 'Notes' });
    const mine = notes.getByRole('group', { name: /^Notes: Your version/ });
    const theirs = notes.getByRole('group', { name: /^Notes: Shared care record/ });
    expect(await textOf(mine)).toContain('Only in your version Ring the bell twice, the door sticks');
    expect(await textOf(theirs)).toContain('Only in the shared care record Key safe 4321 by the back door');
    expect(await textOf(notes)).toContain('Changed on this device and on the shared care record');
    expect(await textOf(page.getByRole('main'))).toContain(patientName);
    await expectAccessible('conflict review');
    await snap('3-conflict-review');

    await button('Keep the shared care record’s version').click();
    await visible(page.getByRole('status').filter({ hasText: /^The shared care record’s version is kept/ }));
    await visible(page.getByText(/^Nothing to review/));
    await syncNow();
    const central = await centralPlan();
    expect(central.meta?.versionId).toBe(theirVersion);
    const texts = (central.note ?? []).map((n) => n.text);
    expect(texts).toContain('Key safe 4321 by the back door');
    expect(texts).not.toContain('Ring the bell twice, the door sticks');
  });

  it('broke no content-security rule and raised no script error', () => {
    expect(pageProblems).toEqual([]);
  });
});
