import { describe, expect, it } from 'vitest';
import { launchChromium, screenshot, UI_TIMEOUT_MS } from '../helpers/browser.js';
import {
  billingRecord,
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  FIVE_MINUTES_MS,
  startDashboardCloud,
  syncRecords,
  voltageRecord,
} from '../helpers/dashboard.js';

const GATEWAY = 'train-12.car-3';
const METER = 'meter-traction-1';
const PERIODS = 24;

describe('dashboard in headless Chromium', () => {
  it(
    'logs in, shows the simulated gateway in the fleet, and plots its energy per period and a signal',
    { timeout: 120_000 },
    async () => {
      const cloud = await startDashboardCloud();
      // Two hours of closed 5-minute periods and half an hour of voltage readings, over the real sync stream.
      const lastStart =
        Math.floor(Date.now() / FIVE_MINUTES_MS) * FIVE_MINUTES_MS - FIVE_MINUTES_MS;
      const records = Array.from({ length: PERIODS }, (_, i) =>
        billingRecord(
          i + 1,
          METER,
          lastStart - (PERIODS - 1 - i) * FIVE_MINUTES_MS,
          0.3 + 0.2 * Math.abs(Math.sin(i / 3)),
        ),
      );
      for (let i = 0; i < 60; i++)
        records.push(
          voltageRecord(
            PERIODS + 1 + i,
            METER,
            Date.now() - (60 - i) * 30_000,
            230 + 3 * Math.sin(i / 5),
          ),
        );
      await syncRecords(cloud, GATEWAY, records, { records: 3, oldestRecordAgeSeconds: 42 });

      const browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const scriptErrors: string[] = [];
      page.on('pageerror', (err) => scriptErrors.push(err.message));
      page.on('console', (message) => {
        // A CSP refusal shows up here: everything must come from the cloud itself.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          scriptErrors.push(message.text());
      });
      const failedRequests: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400)
          failedRequests.push(
            `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`,
          );
      });

      await page.goto(`${cloud.httpUrl}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.locator('#username').fill(DASHBOARD_USER);
      await page.locator('#password').fill('not the password');
      await page.locator('#login').click();
      expect(await page.locator('[role=alert]').textContent()).toBe('Wrong username or password.');
      await screenshot(page, 'dashboard-1-login-refused');

      // The refused form keeps the username, so only the password is typed again.
      expect(await page.locator('#username').inputValue()).toBe(DASHBOARD_USER);
      await page.locator('#password').fill(DASHBOARD_PASSWORD);
      await page.locator('#login').click();
      await page.waitForURL(`${cloud.httpUrl}/dashboard`);
      const row = page.locator(`#fleet tr[data-gateway-id="${GATEWAY}"]`);
      expect(await row.locator('td').allInnerTexts()).toEqual([
        GATEWAY,
        'ok',
        expect.stringMatching(/^\d+ s ago$/),
        '3 records, oldest 42 s',
        String(PERIODS + 60),
        '1.4.2',
      ]);
      await screenshot(page, 'dashboard-2-fleet');

      await row.locator('a').click();
      await page.locator(`#devices tr[data-device-id="${METER}"]`).waitFor();
      await screenshot(page, 'dashboard-3-devices');
      await page.locator(`#devices a:text("energy")`).click();
      await page.locator('#energy-plot[data-loaded="true"]').waitFor();
      expect(await page.locator('#energy-plot svg rect.bar').count()).toBe(PERIODS);
      expect(await page.locator('#energy-plot .plot-status').textContent()).toBe(
        `${PERIODS} periods.`,
      );
      await screenshot(page, 'dashboard-4-energy');

      // An hour ending 55 minutes before the last period: the first 12 periods, read by time.
      const until = new Date(lastStart - 55 * 60_000).toISOString().slice(0, 16);
      await page.locator('form.choice input[name="hours"]').fill('1');
      await page.locator('form.choice input[name="until"]').fill(until);
      await page.locator('form.choice button[type="submit"]').click();
      await page.locator('#energy-plot[data-loaded="true"]').waitFor();
      expect(new URL(page.url()).searchParams.get('until')).toBe(until);
      expect(await page.locator('#energy-plot svg rect.bar').count()).toBe(12);

      await page.goto(
        `${cloud.httpUrl}/dashboard/signals?gatewayId=${GATEWAY}&deviceId=${METER}&signal=voltageL1&hours=1`,
      );
      await page.locator('#signal-plot[data-loaded="true"]').waitFor();
      expect(await page.locator('#signal-plot svg circle.point').count()).toBeGreaterThan(0);
      await screenshot(page, 'dashboard-5-signal');

      await page.goto(`${cloud.httpUrl}/dashboard/rollouts`);
      await page.locator('header button:text("Log out")').click();
      await page.waitForURL(`${cloud.httpUrl}/login`);
      await page.goto(`${cloud.httpUrl}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(scriptErrors).toEqual([]);
      expect(failedRequests).toEqual(['401 POST /login']);
    },
  );
});
