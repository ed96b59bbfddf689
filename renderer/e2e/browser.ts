import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, started the way this machine allows (no sandbox, no background networking). */
const CHROMIUM = process.env.ONSCENE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const WAIT_MS = 30_000;

export const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: WAIT_MS });

/**
 * A page at a 1024×768 laptop size whose script errors and dialogs land in `problems`
 * (a dialog would mean injected script ran).
 */
export async function openBrowserPage(problems: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { browser, page };
}

/** One axe-core finding, flattened for a readable test failure. */
export type AxeFinding = Readonly<{ id: string; impact: string | null; help: string; targets: readonly string[] }>;

/**
 * axe-core's WCAG 2.x A/AA rules and best practices on the page as it is now. The engine is
 * injected through the DevTools protocol (page.evaluate), which the page's strict CSP does not
 * govern, so the page under test keeps its real policy.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const isLoaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!isLoaded) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const engine = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const root = (globalThis as unknown as { document: unknown }).document;
    const result = await engine.run(root, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}

/** Where a test's screenshots go: ONSCENE_E2E_SHOTS=<dir> keeps them for a human to look at, else a temp dir. */
export function screenshotDir(label: string): string {
  const dir = process.env.ONSCENE_E2E_SHOTS ? path.join(process.env.ONSCENE_E2E_SHOTS, label) : fs.mkdtempSync(path.join(os.tmpdir(), `onscene-shots-${label}-`));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** `npm test` builds first; building here too keeps `vitest run renderer/e2e/<file>` honest on its own. */
export async function ensureRendererBuilt(rendererDir: string): Promise<void> {
  if (fs.existsSync(path.join(rendererDir, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'vite.config.ts'), logLevel: 'warn' });
}

type ThemedDocument = { documentElement: { classList: { toggle(name: string, on: boolean): void } } };
type Root = { contains(node: unknown): boolean; ownerDocument: { querySelector(selector: string): unknown } };

/** Turns the night theme on or off, as the header's button does. */
export async function setNightTheme(page: Page, on: boolean): Promise<void> {
  await page.evaluate((night) => (globalThis as unknown as { document: ThemedDocument }).document.documentElement.classList.toggle('onscene-night', night), on);
}

/** The page as it is now, in the day and the night theme: `<name>-day.png` and `<name>-night.png` in `dir`. */
export async function snapDayAndNight(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(dir, `${name}-day.png`), fullPage: true });
  await setNightTheme(page, true);
  await page.screenshot({ path: path.join(dir, `${name}-night.png`), fullPage: true });
  await setNightTheme(page, false);
}

/**
 * Serious and critical axe-core findings, day then night, keyed "day"/"night"; `within` keeps only
 * those inside one part of the screen (the part a test owns). Leaves the day theme on.
 */
export async function seriousFindingsDayAndNight(page: Page, within?: Locator): Promise<Readonly<Record<'day' | 'night', AxeFinding[]>>> {
  const found: Record<'day' | 'night', AxeFinding[]> = { day: [], night: [] };
  for (const theme of ['day', 'night'] as const) {
    await setNightTheme(page, theme === 'night');
    for (const finding of await axeFindings(page)) {
      if (finding.impact !== 'serious' && finding.impact !== 'critical') continue;
      const isInside = within
        ? await within.evaluate((root, targets) => targets.some((t) => (root as unknown as Root).contains((root as unknown as Root).ownerDocument.querySelector(t))), [...finding.targets])
        : true;
      if (isInside) found[theme].push(finding);
    }
  }
  await setNightTheme(page, false);
  return found;
}
