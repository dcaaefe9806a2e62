import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { freePort } from '../helpers/free-port.js';
import { mqttClient, silentLogger } from '../helpers/gateway-parts.js';
import { NODES_DIR } from '../helpers/node-red.js';
import { securityEnv } from '../helpers/security.js';
import { buildFirmware, startSimavr } from '../helpers/simavr.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const REQUESTS = 'coupler/v1/test/door-requests';
const RESULTS = 'coupler/v1/test/door-results';
const ERRORS = 'coupler/v1/test/door-errors';

/** A flow that turns messages on REQUESTS into set-output commands for the Arduino, with results and errors on their own topics. */
function doorTemplate(): string {
  const dir = join(tempDir(), 'door-commands');
  mkdirSync(dir);
  writeFileSync(join(dir, 'template.json'), '{"name":"door-commands","description":"d","parameters":{}}');
  const out = (id: string, topic: string) => ({ id, type: 'mqtt out', z: 't1', broker: 'b1', topic, qos: '1', retain: 'false', wires: [] });
  writeFileSync(
    join(dir, 'flow.json'),
    JSON.stringify([
      { id: 't1', type: 'tab', label: 'doors' },
      { id: 'b1', type: 'mqtt-broker', broker: '${COUPLER_BUS_HOST}', port: '${COUPLER_BUS_PORT}', keepalive: '30', protocolVersion: '4', credentials: { user: '${COUPLER_BUS_USERNAME}', password: '${COUPLER_BUS_PASSWORD}' } },
      { id: 'i1', type: 'mqtt in', z: 't1', broker: 'b1', topic: REQUESTS, qos: '1', datatype: 'json', wires: [['c1']] },
      { id: 'c1', type: 'coupler-command-out', z: 't1', broker: 'b1', device: 'car1-doors', command: 'set-output', timeoutMs: 10_000, wires: [['r1']] },
      out('r1', RESULTS),
      { id: 'k1', type: 'catch', z: 't1', scope: ['c1'], wires: [['e1']] },
      { id: 'e1', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['o1']] },
      out('o1', ERRORS),
    ]),
  );
  return dir;
}

describe('Node-RED commands an Arduino (real firmware on simavr) through the gateway', () => {
  beforeAll(async () => {
    await buildFirmware();
  }, 200_000);

  it('coupler-command-out gets the device\'s ok, and a refused command is an error naming the field', async () => {
    const simavr = await startSimavr({ isResetOnOpen: true });
    onTestFinished(() => simavr.close());
    const config = loadEdgeConfig({
      file: undefined,
      env: {
        COUPLER_GATEWAY_ID: 'gw-nodered-arduino',
        COUPLER_DATA_DIR: tempDir(),
        COUPLER_SECURITY_MODE: 'development',
        COUPLER_BUS_PORT: '0',
        COUPLER_API_PORT: '0',
        COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
        COUPLER_ARDUINO_DEVICES: JSON.stringify([{ id: 'car1-doors', path: simavr.path, intervalMs: 200, analogInputs: [0] }]),
        COUPLER_NODE_RED_ENABLED: 'true',
        COUPLER_NODE_RED_PORT: '0',
        COUPLER_NODE_RED_NODES_DIR: NODES_DIR,
        COUPLER_NODE_RED_FLOWS: JSON.stringify([{ name: 'doors', template: doorTemplate(), parameters: {} }]),
        ...(await securityEnv([{ username: 'tester', role: 'service' }])),
      },
    });
    const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: 'test' });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    const tester = await mqttClient(gateway.ports().mqtt, 'tester');
    const answers: { topic: string; text: string }[] = [];
    tester.on('message', (topic, payload) => answers.push({ topic, text: payload.toString() }));
    await tester.subscribeAsync([RESULTS, ERRORS], { qos: 1 });
    const first = (topic: string) => answers.find((answer) => answer.topic === topic)?.text;

    // The flow's subscription and the Arduino's provisioning both take a moment: ask until answered.
    await waitFor('the door command result', async () => {
      await tester.publishAsync(REQUESTS, JSON.stringify({ pin: 7, level: 1 }), { qos: 1 });
      return first(RESULTS);
    }, 60_000, 1000);
    expect(JSON.parse(first(RESULTS) ?? '{}')).toMatchObject({ command: 'set-output', status: 'ok', requestId: expect.any(String) as string });

    await tester.publishAsync(REQUESTS, JSON.stringify({ pin: 0, level: 1 }), { qos: 1 });
    await waitFor('the refused command', () => first(ERRORS), 20_000);
    expect(first(ERRORS)).toBe('Error: coupler command out: set-output to car1-doors: invalid (pin: must be >= 2 (got 0))');
  }, 120_000);
});
