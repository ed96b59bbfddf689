/**
 * Issue #11 in a real browser: a record left open turns "may have changed" by itself when its
 * safety items go unconfirmed past the threshold (the renderer's own clock, no click), and when
 * the central record changes, a sync updates the open record live and says what changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS, axeFindings, ensureRendererBuilt, openBrowserPage, screenshotDir, visible } from './browser';
import { RENDERER_DIR } from '../../main/app';
import { type Demo, startDemo } from '../../main/dev/demo';
import { DEFAULT_SECURITY_POLICY } from '../../main/security/securityPolicy';
import { enrolDemoUsers } from '../../main/services/testCalls';
import { DEMO_PATIENTS, DEMO_USERS } from '../../sandbox/demoCast';

const paramedic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!;
/** Short enough for a test to wait out, long enough that a fresh sync is clearly within it. */
const STALE_AFTER_MS = 20_000;
let dataDir: string;
let app: Demo;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const shots = screenshotDir('live-record');

const text = async (name: string) => (await page.getByRole('region', { name }).innerText()).replace(/\s+/g, ' ');

beforeAll(async () => {
  await ensureRendererBuilt(RENDERER_DIR);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-e2e-live-'));
  await enrolDemoUsers(dataDir);
  app = await startDemo({ dataDir, sandboxPatients: 30, syncIntervalMs: 3_600_000, config: { policy: { ...DEFAULT_SECURITY_POLICY, staleAfterMs: STALE_AFTER_MS } } });
  ({ browser, page } = await openBrowserPage(problems));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a record left open', () => {
  it('turns "may have changed" by itself, then updates live when the central record changes and sync confirms it', async () => {
    await page.goto(app.url);
    await page.getByRole('radio', { name: paramedic.displayName }).check({ timeout: WAIT_MS });
    await page.getByLabel('PIN').fill(paramedic.pin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: WAIT_MS });
    await page.getByRole('button', { name: /^Open record for .*Exampleton/i }).click({ timeout: WAIT_MS });
    await visible(page.getByRole('region', { name: 'Resuscitation decision' }));
    expect(await text('Resuscitation decision')).not.toMatch(/May have changed/);
    const openedAt = Date.now();

    // Nobody touches the screen: the renderer's clock alone turns the warning on, with its reason.
    await page.getByText('May have changed').first().waitFor({ state: 'visible', timeout: STALE_AFTER_MS + 60_000 });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(STALE_AFTER_MS - 2_000);
    expect(await text('Resuscitation decision')).toMatch(/May have changed.*not confirmed for/i);
    await page.screenshot({ path: path.join(shots, '1-stale.png'), fullPage: true });

    // Someone adds an allergy on the central record; the next sync brings it into the open record.
    await app.sandbox.repo.createResource<AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '1003755004', display: 'Allergy to natural rubber latex' }], text: 'Latex' },
      patient: { reference: `Patient/${DEMO_PATIENTS.eolDnacpr}` },
      recordedDate: new Date().toISOString(),
    });
    await page.getByRole('button', { name: 'Sync now' }).click();
    const update = page.getByRole('status').filter({ hasText: 'Updated from the shared care record' });
    await visible(update);
    expect((await update.innerText()).replace(/\s+/g, ' ')).toMatch(/Allergy added: Latex/);
    expect(await text('Allergies')).toContain('Latex');
    // The sync confirmed every safety item again, so nothing "may have changed" any more.
    await page.getByText('May have changed').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
    await page.screenshot({ path: path.join(shots, '2-updated.png'), fullPage: true });
    const serious = (await axeFindings(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
    expect(serious).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
