import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
// The flags of the Node-RED issue (as edge/test/e2e/nodered-editor-browser.test.ts uses them):
// no sandbox (root in CI), nothing that reaches out to the network.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** CI output, gitignored (reports/): kept as test artifacts. */
export const SCREENSHOTS = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));
/** Generous: the machine running the tests may be busy. */
export const UI_TIMEOUT_MS = 30_000;

/** Debian's Chromium, headless, closed when the test finishes. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh does: apt-get install chromium)`,
    );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    timeout: UI_TIMEOUT_MS,
  });
  onTestFinished(() => browser.close());
  return browser;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Logs in through the dashboard's own form and waits for the fleet page. */
export async function logInThroughPage(
  page: Page,
  httpUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${httpUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#login').click();
  await page.waitForURL(`${httpUrl}/dashboard`);
}
