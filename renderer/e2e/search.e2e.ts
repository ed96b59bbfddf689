/**
 * Finding a patient end to end (issue #13): the built renderer in headless Chromium, the real web
 * shell and services, the sandbox central record (its fault switch takes the signal away). A call
 * handler takes a call and finds a patient by name and date of birth offline, then opens the
 * record under the call reference (counting the actions from "New call" to the resuscitation
 * decision); a mistyped NHS number is caught as typed; a paramedic triages an unidentified patient,
 * links them to the patient found and loses nothing. axe-core on each screen; screenshots in
 * screenshotDir('search'). Elements are found by role and accessible name only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient, Task } from '@medplum/fhirtypes';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, axeFindings, ensureRendererBuilt, openBrowserPage, screenshotDir, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';

const user = (userId: string) => DEMO_USERS.find((u) => u.userId === userId)!;
const handler = user('demo-call-handler-1');
const paramedic = user('demo-paramedic-1');
const CALL_REF = '111-20261203-0077';

let dataDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
let known: Patient;
const pageProblems: string[] = [];
const shots = screenshotDir('search');

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const field = (label: string) => page.getByLabel(label, { exact: true });
const store = () => app.web.app.services.store.current()!;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function expectAccessible(screen: string): Promise<void> {
  const serious = (await axeFindings(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
  expect(serious, screen).toEqual([]);
}

async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

async function signIn(who: typeof handler, landing: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(app.url);
  await visible(heading('Sign in to OnScene'));
  await page.getByRole('radio', { name: who.displayName }).check();
  await page.getByLabel('PIN').fill(who.pin);
  await button('Sign in').click();
  await visible(heading(landing));
}

/** Family name and date of birth into the search form (the default kind). */
async function fillNameAndBirth(patient: Patient): Promise<void> {
  const [year, month, day] = (patient.birthDate ?? '').split('-');
  await field('Family name').fill(patient.name?.[0]?.family ?? '');
  await field('Day').fill(String(Number(day)));
  await field('Month').fill(String(Number(month)));
  await field('Year').fill(year ?? '');
}

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-search-'));
  await enrolDemoUsers(dataDir);
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: 3_600_000 });
  known = await app.sandbox.repo.readResource<Patient>('Patient', DEMO_PATIENTS.eolDnacpr);
  ({ browser, page } = await openBrowserPage(pageProblems));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Finding a patient in a browser', () => {
  it('a call handler lands on "New call", never the incident list, and the device syncs first', async () => {
    await signIn(handler, 'New call');
    expect(await page.getByRole('heading', { name: 'Your incidents' }).count()).toBe(0);
    await button('Sync now').click({ timeout: WAIT_MS });
    await page.waitForFunction(() => !(globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes('Syncing'), undefined, { timeout: WAIT_MS });
    await expectAccessible('new call');
    await snap('01-new-call');
  });

  it('takes a call and finds the patient by name and date of birth offline, then opens the record in 3 actions', async () => {
    app.sandbox.faults.setOffline(true);
    let actions = 0;
    // 1: the call reference, checked as typed against the configured format.
    await field('Call reference').fill('not a ref!');
    expect(await textOf(page.getByRole('alert'))).toMatch(/not a call reference in the expected form/);
    await field('Call reference').fill(CALL_REF);
    await button('Start call').click();
    actions++;
    await visible(heading('Find the patient'));
    expect(await textOf(page.getByRole('banner'))).toContain(CALL_REF);
    // 2: name and date of birth, searched on this device (no signal).
    await fillNameAndBirth(known);
    await expectAccessible('search form');
    await button('Search').click();
    actions++;
    const results = page.getByRole('list', { name: 'Patients found' });
    await visible(results);
    expect(await textOf(page.getByText(/^No signal: only this device’s records were searched\./))).toBeTruthy();
    const result = results.getByRole('listitem').first();
    expect(await textOf(result)).toMatch(/Matched on: Family name, Date of birth/);
    expect(await textOf(result)).toMatch(/Postcode district [A-Z]{1,2}\d/);
    expect(await textOf(result)).toMatch(/On this device because/);
    await expectAccessible('search results');
    await snap('02-results-offline');
    // 3: open under the call reference: the resuscitation decision is on screen.
    await result.getByRole('button', { name: /^Open record for / }).click();
    actions++;
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    expect(actions).toBeLessThanOrEqual(3);
    await expectAccessible('record under the call');
    await snap('03-record-under-call');
    const audit = store().audit.recentForUser(handler.userId, 50).map((row) => ({ ...row, entry: JSON.parse(row.body) as { purpose: string | null } }));
    expect(audit.some((row) => row.action === 'patients.search' && row.entry.purpose === `call ${CALL_REF}`)).toBe(true);
    expect(audit.some((row) => row.action === 'record.open' && row.patientId === DEMO_PATIENTS.eolDnacpr && row.entry.purpose === `call ${CALL_REF}`)).toBe(true);
  });

  it('"End call" clears the screen and main forgets the call; a mistyped NHS number is caught as typed', async () => {
    await button('End call').click();
    await visible(heading('New call'));
    expect(await page.getByRole('region', { name: 'Resuscitation decision' }).count()).toBe(0);
    expect(await textOf(page.getByRole('banner'))).not.toContain(CALL_REF);
    await field('Call reference').fill('111-20261203-0078');
    await button('Start call').click();
    await visible(heading('Find the patient'));
    await page.getByRole('radio', { name: 'NHS number' }).check();
    await page.getByRole('textbox', { name: 'NHS number' }).fill('943 476 5918');
    expect(await textOf(page.getByRole('alert'))).toContain('This is not a valid NHS number — check the 10 digits');
    await expectAccessible('mistyped NHS number');
    await snap('04-nhs-number-typo');
    await page.getByRole('textbox', { name: 'NHS number' }).fill('943 476 5919');
    expect(await page.getByRole('alert').count()).toBe(0);
    await button('End call').click();
    await visible(heading('New call'));
  });

  it('a paramedic triages an unidentified patient, links them to the patient found, and nothing is lost', async () => {
    await button('Sign out').click();
    await signIn(paramedic, 'Your incidents');
    const [task] = await app.sandbox.repo.search<Task>('Task', { subject: `Patient/${DEMO_PATIENTS.eolDnacpr}` });
    const incidentNumber = task?.identifier?.find((i) => /incident-number/.test(i.system ?? ''))?.value ?? '';
    await button('Triage an unidentified patient').click();
    await visible(heading('Triage an unidentified patient'));
    await field('Description').fill('Woman collapsed at the bus stop, green coat');
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    await field('Estimated age (optional)').fill('about 80');
    await page.getByRole('radio', { name: new RegExp(`Incident ${incidentNumber}`) }).check();
    await button('Start triage').click();
    await visible(heading('Set 1 of observations'));
    expect(await textOf(page.getByText('Identity not verified').first())).toBe('Identity not verified');

    await field('Respiration rate').fill('22');
    await field('SpO2').fill('95');
    await page.getByRole('radio', { name: 'On air' }).check();
    await field('Systolic blood pressure').fill('118');
    await field('Diastolic blood pressure').fill('76');
    await field('Pulse').fill('96');
    await page.getByRole('radio', { name: /^A — Alert$/ }).check();
    await field('Temperature').fill('37.8');
    await field('Temperature').blur();
    await visible(page.getByRole('status').filter({ hasText: /^Saved at \d{2}:\d{2}:\d{2}$/ }));
    await button('Record this set').click();
    await visible(heading('Set 1 recorded'));
    const tempId = (await store().outbox.find({ selector: { resourceType: 'Patient' } }).exec())[0]!.resourceId;
    const queuedBefore = (await store().outbox.find({ selector: { patientId: tempId } }).exec()).length;

    await button('Link to the identified patient').click();
    await visible(heading('Link to the identified patient'));
    await fillNameAndBirth(known);
    await button('Search').click();
    await visible(page.getByRole('list', { name: 'Patients found' }));
    await expectAccessible('link search');
    await snap('05-link-search');
    await page.getByRole('button', { name: /^Link to / }).first().click();
    await visible(page.getByText(/^Linked from the temporary identity/));
    await visible(button('Undo link'));
    await expectAccessible('linked triage');
    await snap('06-linked');

    // Nothing lost: every entry recorded so far is still queued, now for the patient found.
    const moved = (await store().outbox.find({ selector: { patientId: DEMO_PATIENTS.eolDnacpr } }).exec()).map((d) => d.toJSON() as { resource: Record<string, unknown> });
    expect(moved.length).toBe(queuedBefore - 1); // all but the temporary Patient itself
    for (const entry of moved) expect(JSON.stringify(entry.resource)).toContain(`"reference":"Patient/${DEMO_PATIENTS.eolDnacpr}"`);
    expect(moved.some((e) => JSON.stringify(e.resource).includes(tempId))).toBe(false);
    app.sandbox.faults.setOffline(false);
  });

  it('broke no content-security rule and raised no script error', () => {
    expect(pageProblems).toEqual([]);
  });
});
