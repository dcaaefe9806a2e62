import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { freePort } from '../helpers/free-port.js';
import { mqttClient, silentLogger } from '../helpers/gateway-parts.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { buildFirmware, startSimavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

describe('gateway with an Arduino configured (real firmware on simavr)', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it('provisions it, publishes its readings on the bus, lists it in the device inventory and runs commands from local services', async () => {
    const simavr = await startSimavr({ isResetOnOpen: true });
    onTestFinished(() => simavr.close());
    const config = loadEdgeConfig({
      file: undefined,
      env: {
        COUPLER_GATEWAY_ID: 'gw-arduino',
        COUPLER_DATA_DIR: tempDir(),
        COUPLER_BUS_PORT: '0',
        COUPLER_API_PORT: '0',
        COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
        COUPLER_ARDUINO_DEVICES: JSON.stringify([{ id: 'car1-doors', path: simavr.path, intervalMs: 50, analogInputs: [0, 1] }]),
        ...(await securityEnv([
          { username: 'watcher', role: 'observer' },
          { username: 'flows', role: 'service' },
        ])),
      },
    });
    const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: '9.9.9-test' });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    const watcher = await mqttClient(gateway.ports().mqtt, 'watcher');
    const payloads: { values: { name: string }[] }[] = [];
    watcher.on('message', (_topic, payload) => payloads.push(JSON.parse(payload.toString()) as { values: { name: string }[] }));
    await watcher.subscribeAsync('coupler/v1/devices/car1-doors/telemetry', { qos: 1 });

    // Readings the device took before it was configured (all six inputs) are delivered too;
    // those after carry the configured inputs only.
    const names = (payload: { values: { name: string }[] }) => payload.values.map((v) => v.name).join(',');
    await waitFor('configured readings on the bus', () => payloads.filter((payload) => names(payload) === 'a0,a1,deviceSequence').length >= 5);
    const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/devices`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
    expect(await response.json()).toEqual([{ deviceId: 'car1-doors', path: simavr.path, status: 'ok', firmwareVersion: '0.1.0', bootCount: expect.any(Number) as number, portOpens: 1 }]);

    // A command from a local service reaches the Arduino; the device's acknowledgement comes back.
    const results: unknown[] = [];
    watcher.on('message', (topic, payload) => {
      if (topic.endsWith('/command-results')) results.push(JSON.parse(payload.toString()));
    });
    await watcher.subscribeAsync('coupler/v1/devices/car1-doors/command-results', { qos: 1 });
    const flows = await mqttClient(gateway.ports().mqtt, 'flows');
    await flows.publishAsync('coupler/v1/devices/car1-doors/commands/set-output', JSON.stringify({ requestId: 'door-1-open', pin: 7, level: 1 }), { qos: 1 });
    await flows.publishAsync('coupler/v1/devices/car1-doors/commands/set-output', JSON.stringify({ requestId: 'bad', pin: 0, level: 1 }), { qos: 1 });
    await flows.publishAsync('coupler/v1/devices/car1-doors/commands/reboot', '{}', { qos: 1 });
    await waitFor('three command results', () => results.length >= 3);
    // Refusals are answered at once, the device's acknowledgement after its round trip.
    expect(results).toHaveLength(3);
    expect(results).toEqual(expect.arrayContaining([
      { requestId: 'door-1-open', command: 'set-output', status: 'ok' },
      { requestId: 'bad', command: 'set-output', status: 'invalid', message: 'pin: must be >= 2 (got 0)' },
      { command: 'reboot', status: 'unknown_command', message: 'an Arduino takes set-output (got reboot)' },
    ]));
    await waitFor('D7 high on the emulator', () => simavr.outputs().includes('D7=1'), 2_000);
  });
});
