/**
 * Triage end to end (issue #12): the built renderer in headless Chromium, the real web shell and
 * services, the sandbox central record. Start triage from an incident's record, three sets (one
 * fixed after a validation error), live NEWS2, the trend, a correction, a disposition, the ATMIST
 * handover and finishing; the same by keyboard alone; and a reload that brings back what was
 * shown as saved. axe-core runs on each triage screen; screenshots (day and night) land in
 * screenshotDir('triage'). Elements are found by role and accessible name only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, axeFindings, ensureRendererBuilt, openBrowserPage, screenshotDir, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { DEMO_USERS } from '../../sandbox/demoCast';

const paramedic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1');
if (!paramedic) throw new Error('demo-paramedic-1 is missing from the demo cast');

let dataDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const shots = screenshotDir('triage');

type Doc = { documentElement: { classList: { toggle(name: string, on: boolean): void } } };

/** The page as it is now, in the day and the night theme. */
async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}-day.png`), fullPage: true });
  await page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.classList.toggle('onscene-night', true));
  await page.screenshot({ path: path.join(shots, `${name}-night.png`), fullPage: true });
  await page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.classList.toggle('onscene-night', false));
}

type Root = { contains(node: unknown): boolean; ownerDocument: { querySelector(selector: string): unknown } };

/**
 * No serious or critical axe-core finding on the screen as it is now (day and night); `within`
 * limits it to one part of a screen another team owns.
 */
async function expectAccessible(screen: string, within?: Locator): Promise<void> {
  for (const night of [false, true]) {
    await page.evaluate((on) => (globalThis as unknown as { document: Doc }).document.documentElement.classList.toggle('onscene-night', on), night);
    const serious = (await axeFindings(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
    const findings = [];
    for (const finding of serious) {
      const isInside = within ? await within.evaluate((root, targets) => targets.some((t) => (root as unknown as Root).contains((root as unknown as Root).ownerDocument.querySelector(t))), [...finding.targets]) : true;
      if (isInside) findings.push(finding);
    }
    expect(findings, `${screen} (${night ? 'night' : 'day'})`).toEqual([]);
  }
  await page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.classList.toggle('onscene-night', false));
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const field = (label: string) => page.getByLabel(label, { exact: true });
const saveStatus = () => page.getByRole('status').filter({ hasText: /^(Saving…|Saved at|Not saved|Nothing saved yet)/ });

async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

/** A fresh load of the app (a URL differing only by its #fragment would not reload the page). */
async function openApp(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(app.url);
}

async function signIn(): Promise<void> {
  await openApp();
  await visible(heading('Sign in to OnScene'));
  await page.getByRole('radio', { name: paramedic?.displayName }).check();
  await page.getByLabel('PIN').fill(paramedic?.pin ?? '');
  await button('Sign in').click();
  await visible(heading('Your incidents'));
}

/** Opens the n-th assigned incident's record (the demo seeds three on K101). */
async function openRecord(index: number): Promise<void> {
  const open = page.getByRole('button', { name: /^Open record for / });
  if ((await open.count()) === 0) {
    await button('Sync now').click({ timeout: WAIT_MS });
    await visible(open.first());
  }
  await open.nth(index).click();
  await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
}

type SetValues = Readonly<{ rate: string; spo2: string; oxygen: boolean; systolic: string; diastolic: string; pulse: string; acvpu: RegExp; temperature: string }>;

async function fillSet(values: SetValues): Promise<void> {
  await field('Respiration rate').fill(values.rate);
  await field('SpO2').fill(values.spo2);
  await page.getByRole('radio', { name: values.oxygen ? 'On oxygen' : 'On air' }).check();
  await field('Systolic blood pressure').fill(values.systolic);
  await field('Diastolic blood pressure').fill(values.diastolic);
  await field('Pulse').fill(values.pulse);
  await page.getByRole('radio', { name: values.acvpu }).check();
  await field('Temperature').fill(values.temperature);
  await field('Temperature').blur();
  await visible(saveStatus().filter({ hasText: /^Saved at \d{2}:\d{2}:\d{2}$/ }));
}

const SET_1: SetValues = { rate: '22', spo2: '95', oxygen: false, systolic: '118', diastolic: '76', pulse: '96', acvpu: /^A — Alert$/, temperature: '37.8' }; // NEWS2 4, low
const SET_2: SetValues = { rate: '24', spo2: '94', oxygen: false, systolic: '108', diastolic: '70', pulse: '104', acvpu: /^C — New confusion$/, temperature: '38.2' }; // 9, high
const SET_3: SetValues = { rate: '20', spo2: '96', oxygen: true, systolic: '105', diastolic: '68', pulse: '112', acvpu: /^A — Alert$/, temperature: '38.0' }; // 5, medium

const live = () => page.getByRole('region', { name: /NEWS2 \(live/ });

async function recordSet(expectedNumber: number): Promise<void> {
  await button('Record this set').click();
  await visible(heading(`Set ${expectedNumber} recorded`));
}

type FocusNode = { ownerDocument: { activeElement: unknown }; contains(node: unknown): boolean };

/** True when the element has keyboard focus. */
async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === (el as unknown as FocusNode).ownerDocument.activeElement, undefined, { timeout: 2_000 }).catch(() => false);
}

/** Presses Tab (or Shift+Tab) until the element has focus: the way a keyboard user gets there. */
async function tabTo(locator: Locator, isBackwards = false): Promise<void> {
  for (let i = 0; i < 150; i += 1) {
    if (await isFocused(locator)) return;
    await page.keyboard.press(isBackwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${isBackwards ? 'Shift+Tab' : 'Tab'} never reached ${String(locator)}`);
}

/** Tabs into a radio group, moves with the arrow keys to the option and makes sure it is chosen. */
async function chooseByKeyboard(groupName: string, option: Locator): Promise<void> {
  const group = page.getByRole('group', { name: groupName, exact: true });
  const isInside = () => group.evaluate((el) => (el as unknown as FocusNode).contains((el as unknown as FocusNode).ownerDocument.activeElement));
  for (let i = 0; i < 150 && !(await isInside()); i += 1) await page.keyboard.press('Tab');
  for (let i = 0; i < 12 && !(await isFocused(option)); i += 1) await page.keyboard.press('ArrowDown');
  if (!(await option.isChecked())) await page.keyboard.press('Space');
  expect(await option.isChecked()).toBe(true);
}

type KeySet = Readonly<{ rate: string; spo2: string; air: 'On air' | 'On oxygen'; systolic: string; diastolic: string; pulse: string; acvpu: string; temperature: string }>;

async function typeSet(values: KeySet): Promise<void> {
  for (const [label, text] of [['Respiration rate', values.rate], ['SpO2', values.spo2]] as const) {
    await tabTo(field(label));
    await page.keyboard.type(text);
  }
  await chooseByKeyboard('Air or oxygen', page.getByRole('radio', { name: values.air }));
  for (const [label, text] of [['Systolic blood pressure', values.systolic], ['Diastolic blood pressure', values.diastolic], ['Pulse', values.pulse]] as const) {
    await tabTo(field(label));
    await page.keyboard.type(text);
  }
  await chooseByKeyboard('Consciousness (ACVPU)', page.getByRole('radio', { name: values.acvpu, exact: true }));
  if (values.temperature) {
    await tabTo(field('Temperature'));
    await page.keyboard.type(values.temperature);
  }
}

async function recordByKeyboard(expectedNumber: number): Promise<void> {
  await tabTo(button('Record this set'));
  await page.keyboard.press('Enter');
  await visible(heading(`Set ${expectedNumber} recorded`));
  expect(await isFocused(heading(`Set ${expectedNumber} recorded`))).toBe(true);
}

const KEY_SET_1: KeySet = { rate: '18', spo2: '97', air: 'On air', systolic: '130', diastolic: '85', pulse: '78', acvpu: 'A — Alert', temperature: '37.3' }; // 0, low
const KEY_SET_2: KeySet = { rate: '21', spo2: '95', air: 'On oxygen', systolic: '112', diastolic: '70', pulse: '92', acvpu: 'A — Alert', temperature: '38.1' }; // 7, high
const KEY_SET_3: KeySet = { rate: '16', spo2: '96', air: 'On air', systolic: '125', diastolic: '80', pulse: '88', acvpu: 'V — Voice', temperature: '38.2' }; // 4 with a 3: low–medium

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-triage-'));
  await enrolDemoUsers(dataDir);
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: 3_600_000 });
  ({ browser, page } = await openBrowserPage(pageProblems));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Triage in a browser', () => {
  it('starts triage from a record, records three sets with live NEWS2, corrects one, and finishes with a disposition and handover', async () => {
    await signIn();
    await openRecord(0);
    await button('Start triage').click();
    await visible(heading('Set 1 of observations'));
    expect(await textOf(page.getByRole('status').filter({ hasText: /upload|Nothing recorded/ }))).toContain('Nothing recorded yet');

    // An incomplete set says what is missing and shows no number.
    await field('Respiration rate').fill('95');
    await field('Respiration rate').blur();
    await visible(page.getByText('Respiration rate must be between 0 and 80 breaths a minute', { exact: false }).first());
    expect(await textOf(live())).toMatch(/NEWS2 not scored: respiration rate, SpO2, air or oxygen, systolic blood pressure, pulse, consciousness and temperature missing/);
    await snap('1-set-form-error');
    await button('Record this set').click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    expect(await textOf(summary)).toContain('Respiration rate must be between 0 and 80 breaths a minute');

    await fillSet(SET_1);
    expect(await textOf(live())).toMatch(/\b4\b.*band: Low/);
    await expectAccessible('set form');
    await snap('2-set-form-complete');
    await recordSet(1);
    await snap('3-set-recorded');

    await button('Add another set').click();
    await visible(heading('Set 2 of observations'));
    await fillSet(SET_2);
    expect(await textOf(live())).toMatch(/\b9\b.*band: High/);
    expect(await textOf(live())).toContain('emergency response');
    await recordSet(2);

    await button('Add another set').click();
    await visible(heading('Set 3 of observations'));
    await fillSet(SET_3);
    expect(await textOf(live())).toMatch(/\b5\b.*band: Medium/);
    await recordSet(3);
    await visible(page.getByRole('status').filter({ hasText: /items? waiting to upload to the shared care record|All recorded items uploaded/ }));

    // The trend: a table and a chart per parameter and the total.
    await button('Trend').click();
    await visible(heading('Trend'));
    const table = page.getByRole('table', { name: 'Recorded sets, oldest first' });
    expect(await table.getByRole('row').count()).toBe(4);
    expect(await textOf(table)).toMatch(/Set 1, \d{2}:\d{2} 22 95 Air 118\/76 96 A 37.8 4 Low/);
    await visible(page.getByRole('img', { name: /^Respiration rate, breaths a minute: 22 at \d{2}:\d{2}, 24 at \d{2}:\d{2}, 20 at \d{2}:\d{2}$/ }));
    await visible(page.getByRole('img', { name: /^NEWS2 total: 4 at .*, 9 at .*, 5 at / }));
    await expectAccessible('trend');
    await snap('4-trend');

    // A correction: amended, with its reason, becomes a new version.
    await button('Correct set 2').click();
    await visible(heading('Correct set 2'));
    await field('Pulse').fill('124');
    await field('Pulse').blur();
    await visible(saveStatus().filter({ hasText: /^Saved at/ }));
    await button('Record this correction').click();
    expect(await textOf(page.getByRole('alert').filter({ hasText: 'There is a problem' }))).toContain('Give the reason for the correction');
    await page.getByRole('radio', { name: 'Amended' }).check();
    await field('Reason for the correction').fill('Pulse misread from the monitor');
    await snap('5-correction');
    await button('Record this correction').click();
    await visible(heading('Set 2 amended'));
    await button('See the trend').click();
    expect(await textOf(page.getByRole('table', { name: 'Recorded sets, oldest first' }))).toMatch(/Set 2, \d{2}:\d{2} \(amended\) 24 94 Air 108\/70 124 C 38.2 10 High/);
    expect(await textOf(page.getByRole('list').filter({ hasText: 'Set 2, taken at' }))).toContain('Reason for correction: Pulse misread from the monitor');

    // Finishing is refused, in plain words, until the disposition is complete.
    await button('Disposition').click();
    await visible(heading('Disposition'));
    await button('Finish triage').click();
    expect(await textOf(page.getByRole('alert').filter({ hasText: 'The triage is not finished' }))).toContain('Choose what happened to the patient');
    await page.getByRole('radio', { name: 'Conveyed to hospital' }).check();
    await field('Hospital and department').fill("St Thomas' Hospital, emergency department");
    await field('Notes').fill('Family informed; care plan copy taken with the patient.');
    await field('Notes').blur();
    await visible(saveStatus().filter({ hasText: /^Saved at/ }));
    await visible(page.getByText(/End-of-life care plan: .* check the preferred place of care/));
    await expectAccessible('disposition');
    await snap('6-disposition');

    // The ATMIST handover, built from the record and the sets.
    await button('ATMIST handover').click();
    await visible(heading('ATMIST handover'));
    for (const name of ['Age', 'Time of onset', 'Mechanism or medical complaint', 'Injuries or information', 'Signs', 'Treatment given']) {
      await visible(page.getByRole('heading', { level: 2, name, exact: true }));
    }
    const signs = page.getByRole('region', { name: 'Signs' });
    expect(await textOf(signs)).toMatch(/Latest at \d{2}:\d{2}: respiration 20 a minute, SpO2 96% on oxygen \(Scale 1\), BP 105\/68 mmHg, pulse 112 a minute/);
    expect(await textOf(signs)).toMatch(/NEWS2 trend: 4 \(\d{2}:\d{2}\) → 10 \(\d{2}:\d{2}\) → 5 \(\d{2}:\d{2}\)/);
    await field('Time of onset').fill('About 40 minutes before the call');
    await field('Mechanism or medical complaint').fill('Increasing breathlessness and confusion since this morning');
    await field('Injuries or information').fill('No injuries. Known end-of-life care plan.');
    await field('Treatment given').fill('Oxygen 2 litres by nasal cannula');
    await field('Treatment given').blur();
    await visible(saveStatus().filter({ hasText: /^Saved at/ }));
    await expectAccessible('handover');
    await snap('7-handover');

    await page.evaluate(() => {
      (globalThis as unknown as { print: () => void; __printed?: boolean }).print = () => {
        (globalThis as unknown as { __printed?: boolean }).__printed = true;
      };
    });
    await button('Print handover').click();
    // The print is audited first (a disclosure), then the page prints.
    await page.waitForFunction(() => (globalThis as unknown as { __printed?: boolean }).__printed === true, undefined, { timeout: WAIT_MS });
    await page.emulateMedia({ media: 'print' });
    expect(await button('Print handover').isVisible()).toBe(false);
    await visible(page.getByRole('region', { name: 'Treatment given' }).getByRole('paragraph').filter({ hasText: 'Oxygen 2 litres by nasal cannula' }));
    expect(await field('Treatment given').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(shots, '8-handover-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await button('Finish triage').click();
    await visible(page.getByRole('status').filter({ hasText: /^Triage finished at \d{2}:\d{2}/ }));
    expect(await page.getByRole('textbox', { name: 'Treatment given' }).count()).toBe(0);
    await snap('9-handover-finished');

    // Finished: read-only except corrections.
    await button('Back to triage').click();
    await visible(heading('Set 2 amended'));
    expect(await button('Add another set').count()).toBe(0);
    await button('Disposition').click();
    expect(await page.getByRole('radio').count()).toBe(0);
    await button('Trend').click();
    await visible(button('Correct set 1'));

    // With signal, a sync sends it all, and the screen says so without being asked.
    await button('Sync now').click();
    await visible(page.getByRole('status').filter({ hasText: 'All recorded items uploaded' }));
    expect(await page.getByText(/^Upload: Uploaded$/).count()).toBe(3);
    await snap('11-trend-uploaded');
  });

  it('can be done with the keyboard alone: start, three sets, disposition, handover', async () => {
    await openApp();
    await visible(heading('Sign in to OnScene'));
    await chooseByKeyboard('Who are you?', page.getByRole('radio', { name: paramedic?.displayName }));
    await tabTo(page.getByLabel('PIN'));
    await page.keyboard.type(paramedic?.pin ?? '');
    await page.keyboard.press('Enter');
    await visible(heading('Your incidents'));

    await tabTo(page.getByRole('button', { name: /^Open record for / }).nth(1));
    await page.keyboard.press('Enter');
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    await tabTo(button('Start triage'));
    await page.keyboard.press('Enter');
    await visible(heading('Set 1 of observations'));
    expect(await isFocused(heading('Set 1 of observations'))).toBe(true);

    // Set 1: the temperature by the + stepper (Enter on the button).
    await typeSet({ ...KEY_SET_1, temperature: '' });
    await tabTo(button('Increase temperature'));
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Enter');
    expect(await field('Temperature').inputValue()).toBe('37.3');
    expect(await textOf(live())).toMatch(/\b0\b.*band: Low/);
    await recordByKeyboard(1);

    // Set 2: typed throughout.
    await tabTo(button('Add another set'));
    await page.keyboard.press('Enter');
    await visible(heading('Set 2 of observations'));
    await typeSet(KEY_SET_2);
    expect(await textOf(live())).toMatch(/\b7\b.*band: High/);
    await recordByKeyboard(2);

    // Set 3: the temperature by arrow keys in the field.
    await tabTo(button('Add another set'));
    await page.keyboard.press('Space');
    await visible(heading('Set 3 of observations'));
    await typeSet({ ...KEY_SET_3, temperature: '38' });
    await tabTo(field('Temperature'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await field('Temperature').inputValue()).toBe('38.2');
    expect(await textOf(live())).toMatch(/\b4\b.*band: Low–medium/);
    await recordByKeyboard(3);

    // Disposition: back up to the steps with Shift+Tab.
    await tabTo(button('Disposition'), true);
    await page.keyboard.press('Enter');
    await visible(heading('Disposition'));
    await chooseByKeyboard('Outcome', page.getByRole('radio', { name: 'Conveyed to hospital' }));
    await tabTo(field('Hospital and department'));
    await page.keyboard.type('Royal London Hospital, resus');
    await tabTo(field('Notes'));
    await page.keyboard.type('Pre-alert given.');
    await page.keyboard.press('Tab');
    await visible(saveStatus().filter({ hasText: /^Saved at/ }));

    await tabTo(button('ATMIST handover'), true);
    await page.keyboard.press('Enter');
    await visible(heading('ATMIST handover'));
    expect(await textOf(page.getByRole('region', { name: 'Signs' }))).toMatch(/NEWS2 trend: 0 \(\d{2}:\d{2}\) → 7 \(\d{2}:\d{2}\) → 4 \(\d{2}:\d{2}\)/);
    for (const [label, text] of [
      ['Time of onset', '09:30'],
      ['Mechanism or medical complaint', 'Fever and rigors'],
      ['Injuries or information', 'No injuries'],
      ['Treatment given', 'Paracetamol 1 g by mouth'],
    ] as const) {
      await tabTo(field(label));
      await page.keyboard.type(text);
    }
    await tabTo(button('Finish triage'));
    await page.keyboard.press('Enter');
    await visible(page.getByRole('status').filter({ hasText: /^Triage finished at/ }));
    expect(await textOf(page.getByRole('region', { name: 'Treatment given' }))).toContain('Paracetamol 1 g by mouth');
  });

  it('brings back what was shown as saved after a reload', async () => {
    await signIn();
    await openRecord(2);
    await snap('0-record-entry');
    // The record's safety panel stays above the fold with the triage entry above it.
    const box = await page.getByRole('region', { name: 'Resuscitation decision' }).getByRole('heading').first().boundingBox();
    expect(box && box.y + box.height).toBeLessThan(768);
    await button('Start triage').click();
    await visible(heading('Set 1 of observations'));
    await field('Respiration rate').fill('19');
    await field('SpO2').fill('98');
    await page.getByRole('radio', { name: 'On oxygen' }).check();
    await field('Systolic blood pressure').fill('140');
    await button('Increase pulse').click();
    await button('Increase pulse').click();
    await page.getByRole('radio', { name: /^V — Voice$/ }).check();
    await visible(saveStatus().filter({ hasText: /^Saved at/ }));

    await page.reload();
    await signIn();
    await openRecord(2);
    const entry = page.getByRole('region', { name: 'Triage' });
    await visible(entry.getByRole('button', { name: /^Continue triage/ }));
    expect(await textOf(entry)).toMatch(/in progress · 0 sets recorded · no NEWS2 yet/);
    await snap('0-record-entry-list');
    // The record's own panels are checked by their own tests; here, the triage entry on it.
    await expectAccessible('record with triage entry', entry);
    await entry.getByRole('button', { name: /^Continue triage/ }).click();
    await visible(heading('Set 1 of observations'));
    expect(await field('Respiration rate').inputValue()).toBe('19');
    expect(await field('SpO2').inputValue()).toBe('98');
    expect(await page.getByRole('radio', { name: 'On oxygen' }).isChecked()).toBe(true);
    expect(await field('Systolic blood pressure').inputValue()).toBe('140');
    expect(await field('Pulse').inputValue()).toBe('81');
    expect(await page.getByRole('radio', { name: /^V — Voice$/ }).isChecked()).toBe(true);
    expect(await field('Temperature').inputValue()).toBe('');
    expect(await textOf(live())).toContain('NEWS2 not scored: temperature missing');
  });

  it('triages an unidentified patient from the incidents screen', async () => {
    await button('Back to record').click();
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    await button('Back to incidents').click();
    await button('Triage an unidentified patient').click();
    await visible(heading('Triage an unidentified patient'));
    await button('Start triage').click();
    expect(await textOf(page.getByRole('alert'))).toContain('Describe the patient');
    await field('Description').fill('Man in a blue jacket, found at the bus stop');
    await page.getByRole('radio', { name: 'Male', exact: true }).check();
    await field('Estimated age (optional)').fill('about 40');
    await expectAccessible('unidentified patient form');
    await snap('10-unidentified-form');
    await button('Start triage').click();
    await visible(heading('Set 1 of observations'));
    expect(await textOf(page.getByText(/identity not yet known/))).toContain('Man in a blue jacket');
  });

  it('broke no content-security rule and raised no script error', () => {
    expect(pageProblems).toEqual([]);
  });
});
