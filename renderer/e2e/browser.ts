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
