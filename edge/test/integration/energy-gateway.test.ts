import { describe, expect, it, onTestFinished } from 'vitest';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { freePort } from '../helpers/free-port.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { startSimulatedMeter } from '../helpers/modbus-meter.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

describe('energy periods in the gateway', () => {
  it('puts one billing-lane record per meter and period into the durable buffer', async () => {
    // The wall clock is injected into the gateway and the simulator; the test moves it.
    let nowMs = Date.parse('2026-03-01T08:04:59.000Z');
    const clock = () => nowMs;
    const { meter, port } = await startSimulatedMeter({ now: clock, tickMs: 50 });
    meter.setValue('importActiveEnergy', 500);
    meter.setValue('exportActiveEnergy', 20);
    const dataDir = tempDir();
    const config = loadEdgeConfig({
      file: undefined,
      env: {
        COUPLER_GATEWAY_ID: 'gw-energy',
        COUPLER_DATA_DIR: dataDir,
        COUPLER_BUS_PORT: '0',
        COUPLER_API_PORT: '0',
        COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
        COUPLER_MODBUS_DEVICES: JSON.stringify([
          {
            id: 'traction',
            profile: 'eastron-sdm630',
            host: '127.0.0.1',
            port,
            pollIntervalMs: 50,
            timeoutMs: 500,
          },
        ]),
        COUPLER_ENERGY_METERS: JSON.stringify([{ deviceId: 'traction' }]),
        COUPLER_ENERGY_CLOCK_SYNC_FILE: '',
        ...(await securityEnv()),
      },
    });
    const gateway = createGateway(config, {
      logger: silentLogger(),
      softwareVersion: '9.9.9-test',
      now: clock,
    });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    /** A counter from the gateway's /metrics, summed over the series that match. */
    const metric = async (pattern: RegExp) => {
      const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/metrics`, {
        headers: { authorization: `Bearer ${READ_KEY}` },
      });
      const text = await response.text();
      return [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const periodsClosed = () => metric(/^coupler_energy_periods_total\{[^}]*\} (\d+)$/gm);
    await waitFor(
      'a first reading',
      async () =>
        (await metric(/^coupler_modbus_requests_total\{[^}]*result="ok"[^}]*\} (\d+)$/gm)) > 0,
    );
    // First boundary: 08:05. The meter counted 2.5 kWh in, 0.5 kWh out since 08:04:59.
    meter.setValue('importActiveEnergy', 502.5);
    meter.setValue('exportActiveEnergy', 20.5);
    nowMs = Date.parse('2026-03-01T08:05:00.200Z');
    await waitFor('the 08:00 period to close', async () => (await periodsClosed()) >= 1);
    meter.setValue('importActiveEnergy', 510);
    nowMs = Date.parse('2026-03-01T08:10:00.300Z');
    await waitFor('the 08:05 period to close', async () => (await periodsClosed()) >= 2);
    await gateway.stop();

    const buffer = new LmdbBuffer({
      dataDir,
      gatewayId: 'gw-energy',
      quotaBytes: config.buffer.quotaBytes,
    });
    buffer.open();
    onTestFinished(() => buffer.close());
    const billing = buffer.recordsAfter('billing', 0, 100);
    expect(
      billing.map((r) => ({
        deviceId: r.deviceId,
        at: new Date(r.timestampMs).toISOString(),
        lane: r.lane,
      })),
    ).toEqual([
      { deviceId: 'traction', at: '2026-03-01T08:05:00.000Z', lane: 'billing' },
      { deviceId: 'traction', at: '2026-03-01T08:10:00.000Z', lane: 'billing' },
    ]);
    const second = Object.fromEntries((billing[1]?.values ?? []).map((v) => [v.name, v.value]));
    expect(second).toMatchObject({
      activeEnergyConsumed: 7.5,
      activeEnergyRegenerated: 0,
      importCounterStart: 502.5,
      importCounterEnd: 510,
      timeQuality: 0,
      flags: 0,
    });
    expect(billing[1]?.quality).toBe('good');
  });
});
