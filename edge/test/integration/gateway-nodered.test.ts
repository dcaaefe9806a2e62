import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/gateway.js';
import { freePort } from '../helpers/free-port.js';
import { mqttClient, silentLogger } from '../helpers/gateway-parts.js';
import { TEMPLATES_DIR } from '../helpers/node-red.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const TELEMETRY = 'coupler/v1/devices/sensor-1/telemetry';
const FLOWS = [{ name: 'sensor-1-temperature', template: 'threshold-alarm', parameters: { DEVICE_ID: 'sensor-1', SIGNAL: 'temperature', THRESHOLD: 80 } }];

async function nodeRedEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    COUPLER_GATEWAY_ID: 'gw-nodered',
    COUPLER_DATA_DIR: dataDir,
    COUPLER_BUS_PORT: '0',
    COUPLER_API_PORT: '0',
    COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${await freePort()}`,
    COUPLER_NODE_RED_ENABLED: 'true',
    COUPLER_NODE_RED_PORT: '0',
    COUPLER_NODE_RED_TEMPLATES_DIR: TEMPLATES_DIR,
    COUPLER_NODE_RED_FLOWS: JSON.stringify(FLOWS),
    COUPLER_NODE_RED_HEALTH_INTERVAL_MS: '500',
    COUPLER_NODE_RED_INITIAL_BACKOFF_MS: '100',
    ...(await securityEnv([{ username: 'sensor-1', role: 'device' }])),
  };
}

async function login(baseUrl: string, username: string, password: string): Promise<number> {
  const response = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username, password }),
    signal: AbortSignal.timeout(5000),
  });
  await response.arrayBuffer();
  return response.status;
}

// Each test starts a real Node-RED (about 1 s alone, several on a busy machine).
describe('gateway with Node-RED', { timeout: 60_000 }, () => {
  it('refuses to start in production mode without nodeRed.credentialSecret, naming the key', async () => {
    const env = { ...(await nodeRedEnv(tempDir())), COUPLER_SECURITY_MODE: 'production' };
    expect(() => loadEdgeConfig({ file: undefined, env })).toThrow('nodeRed.credentialSecret: missing secret: Node-RED needs it to encrypt flow credentials');
  });

  it('starts Node-RED, deploys the configured template, and a hot reading becomes an alarm record; a SIGKILLed Node-RED comes back and ingestion never stops', async () => {
    const dataDir = tempDir();
    const config = loadEdgeConfig({ file: undefined, env: { ...(await nodeRedEnv(dataDir)), COUPLER_SECURITY_MODE: 'development' } });
    const gateway = createGateway(config, { logger: silentLogger(), softwareVersion: 'test' });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    const status = gateway.nodeRed();
    expect(status).toMatchObject({ state: 'running', restarts: 0 });
    const baseUrl = `http://127.0.0.1:${status?.port ?? 0}`;
    const api = (path: string) => fetch(`http://127.0.0.1:${gateway.ports().http}${path}`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) }).then((r) => r.text());

    // Development mode made an editor login and wrote its password where the developer finds it.
    const password = readFileSync(join(dataDir, 'secrets', 'nodered-editor-password'), 'utf8').trim();
    expect((await fetch(`${baseUrl}/flows`, { signal: AbortSignal.timeout(5000) })).status).toBe(401);
    expect(await login(baseUrl, 'admin', 'wrong')).not.toBe(200);
    expect(await login(baseUrl, 'admin', password)).toBe(200);
    expect(JSON.parse(await api('/readyz'))).toMatchObject({ dependencies: expect.arrayContaining([{ name: 'nodered', isUp: true, isRequired: false, detail: 'running' }]) as unknown });

    const device = await mqttClient(gateway.ports().mqtt, 'sensor-1');
    const publish = (celsius: number) => device.publishAsync(TELEMETRY, JSON.stringify({ values: [{ name: 'temperature', value: celsius, unit: 'Cel' }] }), { qos: 1 });
    let published = 0;
    await waitFor('the first alarm', async () => {
      await publish(85);
      published++;
      return (JSON.parse(await api('/api/v1/buffer')) as { lanes: { alarm: { records: number } } }).lanes.alarm.records === 1;
    }, 20_000, 200);

    // SIGKILL Node-RED while the device keeps publishing: every reading is acknowledged.
    const killed = status?.pid ?? 0;
    process.kill(killed, 'SIGKILL');
    const slowestMs = { value: 0 };
    await waitFor('Node-RED restarted', async () => {
      const sentAt = performance.now();
      await publish(70);
      published++;
      slowestMs.value = Math.max(slowestMs.value, performance.now() - sentAt);
      const now = gateway.nodeRed();
      return now?.state === 'running' && now.pid !== killed;
    }, 20_000, 20);
    expect(slowestMs.value).toBeLessThan(1000);
    expect(await api('/metrics')).toMatch(/^coupler_nodered_restarts_total\{reason="exited"\} 1$/m);
    // The restarted Node-RED runs the deployed flow again: below, then above the threshold.
    await waitFor('the second alarm', async () => {
      await publish(90);
      published++;
      return (JSON.parse(await api('/api/v1/buffer')) as { lanes: { alarm: { records: number } } }).lanes.alarm.records === 2;
    }, 20_000, 200);
    await gateway.stop();

    const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-nodered', quotaBytes: config.buffer.quotaBytes });
    buffer.open();
    onTestFinished(() => buffer.close());
    expect(buffer.recordsAfter('bulk', 0, 10_000)).toHaveLength(published);
    const alarms = buffer.recordsAfter('alarm', 0, 10);
    expect(alarms.map((record) => ({ deviceId: record.deviceId, values: record.values }))).toEqual([
      { deviceId: 'sensor-1', values: [{ name: 'temperature', value: 85, unit: 'Cel' }, { name: 'temperatureThreshold', value: 80, unit: 'Cel' }] },
      { deviceId: 'sensor-1', values: [{ name: 'temperature', value: 90, unit: 'Cel' }, { name: 'temperatureThreshold', value: 80, unit: 'Cel' }] },
    ]);
  }, 60_000);

  it('deploys changed nodeRed.flows on a configuration reload without restarting Node-RED, and a bad template keeps the running flows and configuration', async () => {
    const dataDir = tempDir();
    const env = { ...(await nodeRedEnv(dataDir)), COUPLER_SECURITY_MODE: 'development' };
    const gateway = createGateway(loadEdgeConfig({ file: undefined, env }), { logger: silentLogger(), softwareVersion: 'test' });
    onTestFinished(() => gateway.stop());
    await gateway.start();
    const pid = gateway.nodeRed()?.pid;
    const device = await mqttClient(gateway.ports().mqtt, 'sensor-1');
    const alarms = async () => {
      const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/buffer`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
      return ((await response.json()) as { lanes: { alarm: { records: number } } }).lanes.alarm.records;
    };
    const withThreshold = (threshold: number | string) => () =>
      loadEdgeConfig({ file: undefined, env: { ...env, COUPLER_NODE_RED_FLOWS: JSON.stringify([{ ...FLOWS[0], parameters: { ...FLOWS[0]?.parameters, THRESHOLD: threshold } }]) } });

    // 70 °C is below the configured 80: no alarm; after the reload to 60 it is one.
    expect(await gateway.reload(withThreshold(60))).toBe('applied');
    await waitFor('an alarm at the new threshold', async () => {
      await device.publishAsync(TELEMETRY, JSON.stringify({ values: [{ name: 'temperature', value: 70, unit: 'Cel' }] }), { qos: 1 });
      return (await alarms()) === 1;
    }, 20_000, 200);
    expect(gateway.nodeRed()).toMatchObject({ pid, restarts: 0 });

    // A threshold that is not a number: the reload fails, the 60 °C flow keeps running.
    expect(await gateway.reload(withThreshold('hot'))).toBe('failed');
    const report = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/nodered`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
    expect(await report.json()).toMatchObject({
      enabled: true,
      state: 'running',
      pid,
      restarts: 0,
      isSafeMode: false,
      lastDeployment: { result: 'refused', flows: ['sensor-1-temperature'], error: expect.stringContaining('nodeRed.flows[0].parameters.THRESHOLD: must be a number (got "hot")') as string },
    });
    await device.publishAsync(TELEMETRY, JSON.stringify({ values: [{ name: 'temperature', value: 50, unit: 'Cel' }] }), { qos: 1 });
    await waitFor('a second alarm from the running flow', async () => {
      await device.publishAsync(TELEMETRY, JSON.stringify({ values: [{ name: 'temperature', value: 65, unit: 'Cel' }] }), { qos: 1 });
      return (await alarms()) === 2;
    }, 20_000, 200);
  }, 60_000);
});
