import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { RtuMeterSimulator } from '../../sim/rtu-meter.js';
import { freePort } from '../helpers/free-port.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { startRtuLine } from '../helpers/rtu-line.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

describe('Modbus RTU in the gateway', () => {
  it('polls the units of a configured bus with a user profile, and the local API shows each status', async () => {
    const dir = tempDir('coupler-rtu-gw-');
    const line = await startRtuLine(dir);
    const simulator = new RtuMeterSimulator({
      path: line.meterPath,
      baudRate: 19_200,
      dataBits: 8,
      parity: 'even',
      stopBits: 1,
      units: [{ unitId: 5, profile: 'eastron-sdm120' }],
    });
    onTestFinished(() => simulator.stop());
    await simulator.start();
    // A user profile found by name in the configured folder: the SDM120's voltage only.
    const profiles = join(dir, 'profiles');
    mkdirSync(profiles);
    writeFileSync(
      join(profiles, 'sdm120-voltage.yaml'),
      'name: sdm120-voltage\nsource: Eastron SDM120 protocol v2.5, 30001\nregisters:\n  - { name: voltage, address: 0, register: input, data_type: float32, unit: V }\n',
    );

    const config = loadEdgeConfig({
      file: undefined,
      env: {
        COUPLER_GATEWAY_ID: 'gw-rtu',
        COUPLER_DATA_DIR: join(dir, 'data'),
        COUPLER_BUS_PORT: '0',
        COUPLER_API_PORT: '0',
        COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
        COUPLER_MODBUS_PROFILE_DIRS: JSON.stringify([profiles]),
        COUPLER_MODBUS_BUSES: JSON.stringify([
          { id: 'rtu0', path: line.gatewayPath, baudRate: 19_200, parity: 'even' },
        ]),
        COUPLER_MODBUS_DEVICES: JSON.stringify([
          {
            id: 'aux-ac',
            profile: 'sdm120-voltage',
            transport: 'rtu',
            bus: 'rtu0',
            unitId: 5,
            pollIntervalMs: 100,
            timeoutMs: 100,
          },
          {
            id: 'missing',
            profile: 'sdm120-voltage',
            transport: 'rtu',
            bus: 'rtu0',
            unitId: 6,
            pollIntervalMs: 100,
            timeoutMs: 100,
          },
        ]),
        ...(await securityEnv()),
      },
    });
    const gateway = createGateway(config, {
      logger: silentLogger(),
      softwareVersion: '9.9.9-test',
    });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${gateway.ports().http}${path}`, {
        headers: { authorization: `Bearer ${READ_KEY}` },
      });
      return response.text();
    };

    const devices = await waitFor('aux-ac ok and missing offline', async () => {
      const list = JSON.parse(await get('/api/v1/devices')) as {
        deviceId: string;
        status: string;
        lastError?: string;
      }[];
      return list.find((d) => d.deviceId === 'missing')?.status === 'offline' && list;
    });
    expect(devices.find((d) => d.deviceId === 'aux-ac')).toMatchObject({ status: 'ok' });
    expect(devices.find((d) => d.deviceId === 'missing')?.lastError).toMatch(
      /^timeout: unit 6 did not answer/,
    );
    const metrics = await get('/metrics');
    expect(metrics).toMatch(/^coupler_modbus_bus_open\{bus="rtu0"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^coupler_device_status\{device="missing",status="offline"[^}]*\} 1$/m);
  });
});
