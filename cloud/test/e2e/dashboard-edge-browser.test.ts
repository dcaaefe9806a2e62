import { describe, expect, it } from 'vitest';
import { launchChromium, logInThroughPage, screenshot, UI_TIMEOUT_MS } from '../helpers/browser.js';
import { DASHBOARD_PASSWORD, DASHBOARD_USER, startDashboardCloud } from '../helpers/dashboard.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, runTs } from './processes.js';

const GATEWAY_ID = 'e2e-dashboard-train-4';

describe('dashboard of a real edge in headless Chromium', () => {
  it(
    'shows the edge polling a simulated meter as connected with its readings, then offline once it stops',
    { timeout: 180_000 },
    async () => {
      const credentials = await edgeCredentials([]);
      const cloud = await startDashboardCloud();
      const meterPort = await freePort();
      const meter = runTs('edge/sim/meter-cli.ts', [
        '--port',
        String(meterPort),
        '--pin',
        'voltageL1=231.5',
      ]);
      await waitFor('the meter simulator to listen', () => meter.output().includes('listening'));
      const dir = tempDir();
      const config = writeEdgeConfig({
        gatewayId: GATEWAY_ID,
        dir,
        cloudUrl: cloud.grpcAddress,
        more: [
          'modbus:',
          '  devices:',
          `    - { id: meter-1, profile: eastron-sdm630, host: 127.0.0.1, port: ${meterPort}, pollIntervalMs: 250 }`,
        ],
      });
      const edge = runTs('edge/src/main.ts', ['--config', config], {
        ...credentials.env,
        COUPLER_LOG_LEVEL: 'warn',
      });
      await waitFor(
        'records from the edge',
        async () => (await cloud.cloud.store.countRecords(GATEWAY_ID)) >= 5,
        60_000,
      ).catch((err: unknown) => {
        throw new Error(`edge output:\n${edge.output()}`, { cause: err });
      });

      const browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      await logInThroughPage(page, cloud.httpUrl, DASHBOARD_USER, DASHBOARD_PASSWORD);
      const cells = await page
        .locator(`#fleet tr[data-gateway-id="${GATEWAY_ID}"] td`)
        .allInnerTexts();
      expect(cells[0]).toBe(GATEWAY_ID);
      expect(cells[1]).toBe('ok');
      expect(cells[5]).toMatch(/^\d+\.\d+\.\d+/);
      await screenshot(page, 'dashboard-edge-1-fleet');

      await page.goto(`${cloud.httpUrl}/dashboard/gateways/${GATEWAY_ID}`);
      expect(
        (await page.locator('#devices tr[data-device-id="meter-1"] td').allInnerTexts()).slice(
          0,
          2,
        ),
      ).toEqual(['meter-1', 'ok']);
      await page.goto(
        `${cloud.httpUrl}/dashboard/signals?gatewayId=${GATEWAY_ID}&deviceId=meter-1&signal=voltageL1&hours=1`,
      );
      await page.locator('#signal-plot[data-loaded="true"]').waitFor();
      expect(await page.locator('#signal-plot svg circle.point').count()).toBeGreaterThan(0);
      expect(
        await page.locator('#signal-plot svg circle.point title').first().textContent(),
      ).toContain('mean 231.5 V');
      await screenshot(page, 'dashboard-edge-2-signal');

      expect(await edge.stop('SIGTERM')).toBe(0);
      await waitFor('the fleet page to show the edge offline', async () => {
        await page.goto(`${cloud.httpUrl}/dashboard`);
        return (
          (await page
            .locator(`#fleet tr[data-gateway-id="${GATEWAY_ID}"] td`)
            .nth(1)
            .innerText()) === 'offline'
        );
      });
      await screenshot(page, 'dashboard-edge-3-offline');
    },
  );
});
