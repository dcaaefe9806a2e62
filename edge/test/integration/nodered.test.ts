import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { LmdbBuffer } from '../../src/buffer/index.js';
import type { FlowInstance } from '../../src/nodered/index.js';
import { mqttClient, testRegistry } from '../helpers/gateway-parts.js';
import { counterValue, CREDENTIAL_SECRET, EDITOR_PASSWORD, editorLogin, startNodeRed, TEMPLATES_DIR } from '../helpers/node-red.js';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const TELEMETRY = 'coupler/v1/devices/dev-a/telemetry';
const alarmFlow = (threshold: number, extra: Record<string, number | string> = {}): FlowInstance => ({
  name: 'dev-a-voltage',
  template: 'threshold-alarm',
  parameters: { DEVICE_ID: 'dev-a', SIGNAL: 'voltageL1', THRESHOLD: threshold, HYSTERESIS: 5, ...extra },
});
const reading = (volts: number, timestampMs = Date.now()) => JSON.stringify({ timestampMs, values: [{ name: 'voltageL1', value: volts, unit: 'V' }] });
const alarms = (buffer: LmdbBuffer) => buffer.recordsAfter('alarm', 0, 100);

/**
 * Publishes `volts` until the flow has raised `count` alarms: the flow's MQTT client subscribes
 * a moment after Node-RED answers, and a reading before that reaches nobody.
 */
async function raiseAlarm(device: MqttClient, buffer: LmdbBuffer, count: number, volts: number): Promise<void> {
  await waitFor(`alarm ${count}`, async () => {
    await device.publishAsync(TELEMETRY, reading(volts), { qos: 1 });
    return alarms(buffer).length >= count;
  }, 20_000, 200);
}

async function flowsRev(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/flows`, { headers: { authorization: `Bearer ${token}`, 'node-red-api-version': 'v2' }, signal: AbortSignal.timeout(5000) });
  return ((await response.json()) as { rev: string }).rev;
}

/** A template whose flow never yields: the loop runs in a timer, where the Function node's timeout cannot reach it. */
const busyLoopTemplate = (): string => join(TEMPLATES_DIR, '../test-templates/busy-loop');

/** A device publishing QoS 1 readings every `intervalMs`, recording how long each PUBACK took. */
function steadyPublisher(device: MqttClient, intervalMs: number) {
  const latenciesMs: number[] = [];
  // An object, not a let: it changes across awaits, which control-flow narrowing cannot see.
  const control = { isRunning: true };
  const done = (async () => {
    while (control.isRunning) {
      const sentAt = performance.now();
      await device.publishAsync(TELEMETRY, reading(230), { qos: 1 });
      latenciesMs.push(performance.now() - sentAt);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    latenciesMs,
    stop: async () => {
      control.isRunning = false;
      await done;
    },
  };
}

// Each test starts a real Node-RED (about 1 s alone, several on a busy machine).
describe('Node-RED as a supervised child of the edge', { timeout: 60_000 }, () => {
  it('refuses the editor and the admin API without a login, and lets the configured user in', async () => {
    const { bus, registry } = await startSecuredBus();
    const { nodeRed, baseUrl, userDir } = await startNodeRed(bus.port(), registry);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The credential secret is in no file and not in the child's environment (settings came on stdin).
    const environ = readFileSync(`/proc/${nodeRed.status().pid ?? 0}/environ`, 'utf8');
    expect(environ).not.toContain(CREDENTIAL_SECRET);
    expect(environ).toContain('COUPLER_BUS_USERNAME=svc');
    expect(readFileSync(join(userDir, 'settings.js'), 'utf8')).not.toContain(CREDENTIAL_SECRET);
    for (const [method, path] of [['GET', '/flows'], ['POST', '/flows'], ['GET', '/settings'], ['GET', '/nodes']] as const) {
      const response = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '[]' } : {}), signal: AbortSignal.timeout(5000) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
    }
    expect((await editorLogin(baseUrl, 'not-the-password')).token).toBeUndefined();
    const login = await editorLogin(baseUrl, EDITOR_PASSWORD);
    expect(login.status).toBe(200);
    const flows = await fetch(`${baseUrl}/flows`, { headers: { authorization: `Bearer ${login.token ?? ''}` }, signal: AbortSignal.timeout(5000) });
    expect(flows.status).toBe(200);
    const editor = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(5000) });
    expect(editor.status).toBe(200);
    expect(await editor.text()).toContain('<title>Node-RED</title>');
  });

  it('without editor users serves no editor and takes no password, and the edge still deploys', async () => {
    const { bus, registry } = await startSecuredBus();
    const { nodeRed, baseUrl } = await startNodeRed(bus.port(), registry, { hasEditor: false });
    expect((await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(5000) })).status).toBe(404);
    expect((await fetch(`${baseUrl}/flows`, { signal: AbortSignal.timeout(5000) })).status).toBe(401);
    expect((await editorLogin(baseUrl, EDITOR_PASSWORD)).token).toBeUndefined();
    await expect(nodeRed.deploy([alarmFlow(250)])).resolves.toMatchObject({ nodes: 5 });
  });

  it('deploys the threshold-alarm template, and a reading above the threshold becomes one alarm record in LMDB', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    await startNodeRed(bus.port(), registry, { flows: [alarmFlow(250)] });
    const device = await mqttClient(bus.port(), 'dev-a');
    const sentAt = Date.now();
    await raiseAlarm(device, buffer, 1, 261.5);
    // Still above: no second alarm for the same excursion.
    await device.publishAsync(TELEMETRY, reading(262), { qos: 1 });
    await device.publishAsync(TELEMETRY, reading(263), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [alarm, ...more] = alarms(buffer);
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({
      deviceId: 'dev-a',
      lane: 'alarm',
      quality: 'good',
      values: [
        { name: 'voltageL1', value: 261.5, unit: 'V' },
        { name: 'voltageL1Threshold', value: 250, unit: 'V' },
      ],
    });
    expect(alarm?.timestampMs).toBeGreaterThanOrEqual(sentAt);
    expect(await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'deployed' })).toBe(1);
  });

  it('refuses a bad template naming what is wrong, and the previous flows keep running', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed, baseUrl } = await startNodeRed(bus.port(), registry, { flows: [alarmFlow(250)] });
    const device = await mqttClient(bus.port(), 'dev-a');
    await raiseAlarm(device, buffer, 1, 260);
    const { token = '' } = await editorLogin(baseUrl, EDITOR_PASSWORD);
    const revBefore = await flowsRev(baseUrl, token);

    await expect(nodeRed.deploy([alarmFlow(100, { THRESHHOLD: 90 })])).rejects.toThrow(
      'nodeRed.flows[0].parameters.THRESHHOLD: unknown parameter of template threshold-alarm (it has DEVICE_ID, HYSTERESIS, SIGNAL, THRESHOLD)',
    );
    const notJson = join(tempDir(), 'broken');
    mkdirSync(notJson);
    writeFileSync(join(notJson, 'template.json'), '{"name":"broken","description":"d","parameters":{}}');
    writeFileSync(join(notJson, 'flow.json'), '[{"id":"n1","type":"inject"');
    await expect(nodeRed.deploy([{ name: 'broken', template: notJson, parameters: {} }])).rejects.toThrow(`${join(notJson, 'flow.json')}: is not valid JSON`);
    const unknownType = join(tempDir(), 'unknown-type');
    mkdirSync(unknownType);
    writeFileSync(join(unknownType, 'template.json'), '{"name":"unknown-type","description":"d","parameters":{}}');
    writeFileSync(join(unknownType, 'flow.json'), '[{"id":"n1","type":"modbus-read"}]');
    await expect(nodeRed.deploy([{ name: 'u', template: unknownType, parameters: {} }])).rejects.toThrow('has type modbus-read, which this Node-RED does not have');

    expect(await flowsRev(baseUrl, token)).toBe(revBefore);
    expect(await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'refused' })).toBe(3);
    // The running flow still works: back below threshold - hysteresis, then above again.
    await device.publishAsync(TELEMETRY, reading(240), { qos: 1 });
    await raiseAlarm(device, buffer, 2, 270);
    expect(alarms(buffer).map((record) => record.values[0]?.value)).toEqual([260, 270]);
  });

  it('restarts Node-RED after SIGKILL while device messages keep being acknowledged, and its flows run again', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry, { flows: [alarmFlow(250)] });
    const device = await mqttClient(bus.port(), 'dev-a');
    await raiseAlarm(device, buffer, 1, 260);
    const bulkBefore = buffer.stats().lanes.bulk.records;

    const publisher = steadyPublisher(device, 10);
    const killed = nodeRed.status().pid;
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(killed ?? 0, 'SIGKILL');
    await waitFor('Node-RED restarted', () => nodeRed.status().state === 'running' && nodeRed.status().pid !== killed, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publisher.stop();

    expect(nodeRed.status().restarts).toBe(1);
    expect(await counterValue(registry, 'coupler_nodered_restarts_total', { reason: 'exited' })).toBe(1);
    // Ingestion went on throughout: every reading acknowledged, promptly, and each one buffered.
    expect(publisher.latenciesMs.length).toBeGreaterThan(20);
    expect(Math.max(...publisher.latenciesMs)).toBeLessThan(1000);
    expect(buffer.stats().lanes.bulk.records - bulkBefore).toBe(publisher.latenciesMs.length);
    // The restarted Node-RED runs the deployed flows from its flows file.
    await device.publishAsync(TELEMETRY, reading(240), { qos: 1 });
    await raiseAlarm(device, buffer, 2, 280);
  });

  it('kills and restarts a Node-RED whose flow busy-loops, while device messages keep being acknowledged', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const busyLoop = busyLoopTemplate();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    const device = await mqttClient(bus.port(), 'dev-a');
    const bulkBefore = buffer.stats().lanes.bulk.records;
    const publisher = steadyPublisher(device, 10);
    await nodeRed.deploy([{ name: 'busy', template: busyLoop, parameters: {} }]);
    await waitFor('unresponsive Node-RED restarted', async () => (await counterValue(registry, 'coupler_nodered_restarts_total', { reason: 'unresponsive' })) >= 1, 20_000);
    await publisher.stop();
    expect(publisher.latenciesMs.length).toBeGreaterThan(50);
    expect(Math.max(...publisher.latenciesMs)).toBeLessThan(1000);
    expect(buffer.stats().lanes.bulk.records - bulkBefore).toBe(publisher.latenciesMs.length);
  });

  it('rolls back to the previous flows when a deployment crashes Node-RED repeatedly', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed, baseUrl } = await startNodeRed(bus.port(), registry, { flows: [alarmFlow(250)], maxMissedHealthChecks: 2, rollbackAfterCrashes: 2 });
    const device = await mqttClient(bus.port(), 'dev-a');
    await raiseAlarm(device, buffer, 1, 260);

    await nodeRed.deploy([{ name: 'busy', template: busyLoopTemplate(), parameters: {} }]);
    await waitFor('flows rolled back', async () => (await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'rolled_back' })) === 1, 40_000);
    await waitFor('Node-RED running', () => nodeRed.status().state === 'running', 20_000);
    expect(await counterValue(registry, 'coupler_nodered_restarts_total', { reason: 'unresponsive' })).toBe(2);
    const { token = '' } = await editorLogin(baseUrl, EDITOR_PASSWORD);
    const running = await fetch(`${baseUrl}/flows`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    const labels = ((await running.json()) as { type: string; label?: string }[]).filter((node) => node.type === 'tab').map((node) => node.label);
    expect(labels).toEqual(['Threshold alarm dev-a voltageL1']);
    // The restored flow works, and Node-RED stays up.
    await device.publishAsync(TELEMETRY, reading(240), { qos: 1 });
    await raiseAlarm(device, buffer, 2, 275);
    expect(nodeRed.status().restarts).toBe(2);
  }, 60_000);

  it('rolls back only once the restarted Node-RED has read its flows and credentials, so the restored flow logs in to the bus', async () => {
    const { bus, buffer, registry, refusals } = await startSecuredBus();
    const { nodeRed, baseUrl, userDir } = await startNodeRed(bus.port(), registry, { flows: [alarmFlow(250)], maxMissedHealthChecks: 2, rollbackAfterCrashes: 1 });
    const device = await mqttClient(bus.port(), 'dev-a');
    await raiseAlarm(device, buffer, 1, 260);
    await nodeRed.deploy([{ name: 'busy', template: busyLoopTemplate(), parameters: {} }]);
    // The flows file becomes a named pipe: the restarted Node-RED answers HTTP while its read of
    // the flows (and then the credentials) waits for this test, as on a slow disk. A rollback
    // posted meanwhile lost its credentials to that read (the MQTT node then logged in without).
    const flowsFile = join(userDir, 'flows.json');
    const busyFlows = readFileSync(flowsFile);
    const regular = `${flowsFile}.regular`;
    writeFileSync(regular, busyFlows);
    rmSync(flowsFile);
    execFileSync('mkfifo', [flowsFile]);
    await waitFor('the busy Node-RED killed', async () => (await counterValue(registry, 'coupler_nodered_restarts_total', { reason: 'unresponsive' })) === 1, 20_000);
    await waitFor('the restarted Node-RED answering', async () => (await fetch(`${baseUrl}/auth/login`, { signal: AbortSignal.timeout(2000) })).ok, 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(nodeRed.status().state).toBe('restarting');
    expect(await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'rolled_back' })).toBe(0);

    await writeFile(flowsFile, busyFlows);
    // A regular file again before Node-RED saves the rolled-back flows (it backs the old file up).
    renameSync(regular, flowsFile);
    await waitFor('flows rolled back', async () => (await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'rolled_back' })) === 1, 20_000);
    expect(nodeRed.status()).toMatchObject({ state: 'running', restarts: 1 });
    await raiseAlarm(device, buffer, 2, 275);
    expect(await refusals()).toEqual({});
  }, 60_000);

  it('restarts a Node-RED whose flow leaks memory past its heap limit, while device messages keep being acknowledged', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const leak = join(tempDir(), 'leak');
    mkdirSync(leak);
    writeFileSync(join(leak, 'template.json'), '{"name":"leak","description":"A flow that keeps everything.","parameters":{}}');
    writeFileSync(
      join(leak, 'flow.json'),
      JSON.stringify([
        { id: 't1', type: 'tab', label: 'leak' },
        { id: 'i1', type: 'inject', z: 't1', once: true, onceDelay: 0.2, repeat: '', wires: [['f1']] },
        { id: 'f1', type: 'function', z: 't1', func: 'const kept = [];\nsetInterval(() => { for (let i = 0; i < 20000; i++) kept.push({ text: "leak".repeat(16) + i }); }, 5);\nreturn null;', outputs: 1, wires: [[]] },
      ]),
    );
    const { nodeRed } = await startNodeRed(bus.port(), registry, { memoryLimitMb: 64, rollbackAfterCrashes: 100 });
    const device = await mqttClient(bus.port(), 'dev-a');
    const bulkBefore = buffer.stats().lanes.bulk.records;
    const publisher = steadyPublisher(device, 10);
    await nodeRed.deploy([{ name: 'leak', template: leak, parameters: {} }]);
    await waitFor('Node-RED out of memory and restarted', async () => (await counterValue(registry, 'coupler_nodered_restarts_total', { reason: 'exited' })) >= 1, 30_000);
    await publisher.stop();
    expect(Math.max(...publisher.latenciesMs)).toBeLessThan(1000);
    expect(buffer.stats().lanes.bulk.records - bulkBefore).toBe(publisher.latenciesMs.length);
  }, 60_000);

  it('serves HTTP-in endpoints of flows only with nodeRed.httpNodeAuth, and then only to its user', async () => {
    const { bus, registry } = await startSecuredBus();
    const endpoint = join(tempDir(), 'endpoint');
    mkdirSync(endpoint);
    writeFileSync(join(endpoint, 'template.json'), '{"name":"endpoint","description":"d","parameters":{}}');
    writeFileSync(
      join(endpoint, 'flow.json'),
      JSON.stringify([
        { id: 't1', type: 'tab', label: 'http' },
        { id: 'h1', type: 'http in', z: 't1', url: '/door', method: 'get', wires: [['c1']] },
        { id: 'c1', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'closed', tot: 'str' }], wires: [['r1']] },
        { id: 'r1', type: 'http response', z: 't1', statusCode: '', wires: [] },
      ]),
    );
    const get = (baseUrl: string, credentials?: string) =>
      fetch(`${baseUrl}/door`, { headers: credentials === undefined ? {} : { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }, signal: AbortSignal.timeout(5000) });

    const without = await startNodeRed(bus.port(), registry, { flows: [{ name: 'endpoint', template: endpoint, parameters: {} }] });
    expect((await get(without.baseUrl)).status).toBe(404);

    const withAuth = await startNodeRed(bus.port(), testRegistry(), { flows: [{ name: 'endpoint', template: endpoint, parameters: {} }], httpNodePassword: 'door-reader-password' });
    expect((await get(withAuth.baseUrl)).status).toBe(401);
    expect((await get(withAuth.baseUrl, 'http-client:wrong')).status).toBe(401);
    const allowed = await get(withAuth.baseUrl, 'http-client:door-reader-password');
    expect({ status: allowed.status, body: await allowed.text() }).toEqual({ status: 200, body: 'closed' });
  });

  it('keeps Node-RED up in safe mode when flows deployed from the editor crash it repeatedly, until good flows are deployed', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed, baseUrl } = await startNodeRed(bus.port(), registry, { maxMissedHealthChecks: 2, rollbackAfterCrashes: 2 });
    const { token = '' } = await editorLogin(baseUrl, EDITOR_PASSWORD);
    // What the editor's Deploy button sends: the edge has no earlier flows of its own to restore.
    const busy = JSON.parse(readFileSync(join(busyLoopTemplate(), 'flow.json'), 'utf8')) as unknown[];
    const deployed = await fetch(`${baseUrl}/flows`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(busy), signal: AbortSignal.timeout(5000) });
    expect(deployed.status).toBe(204);

    await waitFor('safe mode', async () => (await counterValue(registry, 'coupler_nodered_safe_mode')) === 1, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(nodeRed.status()).toMatchObject({ state: 'running', restarts: 2 });
    expect(await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'rolled_back' })).toBe(0);

    await nodeRed.deploy([alarmFlow(250)]);
    expect(await counterValue(registry, 'coupler_nodered_safe_mode')).toBe(0);
    const device = await mqttClient(bus.port(), 'dev-a');
    await raiseAlarm(device, buffer, 1, 260);
  }, 90_000);
});
