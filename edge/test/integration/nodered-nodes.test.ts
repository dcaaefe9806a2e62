import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqttClient } from '../helpers/gateway-parts.js';
import { counterValue, EDITOR_PASSWORD, editorLogin, startNodeRed } from '../helpers/node-red.js';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const ERRORS_TOPIC = 'coupler/v1/test/record-out-errors';

/** A template that feeds the injected payloads into `coupler-record-out` and reports its errors on ERRORS_TOPIC. */
function recordOutErrorsTemplate(payloads: unknown[]): string {
  const dir = join(tempDir(), 'record-out-errors');
  mkdirSync(dir);
  writeFileSync(join(dir, 'template.json'), '{"name":"record-out-errors","description":"d","parameters":{}}');
  const broker = { id: 'b1', type: 'mqtt-broker', broker: '${COUPLER_BUS_HOST}', port: '${COUPLER_BUS_PORT}', keepalive: '30', protocolVersion: '4', credentials: { user: '${COUPLER_BUS_USERNAME}', password: '${COUPLER_BUS_PASSWORD}' } };
  writeFileSync(
    join(dir, 'flow.json'),
    JSON.stringify([
      { id: 't1', type: 'tab', label: 'errors' },
      broker,
      // Waits for the bus connection, then sends each payload to the record-out node.
      { id: 'i1', type: 'inject', z: 't1', once: true, onceDelay: 1, repeat: '', props: [{ p: 'payload' }], payload: JSON.stringify(payloads), payloadType: 'json', wires: [['s1']] },
      { id: 's1', type: 'split', z: 't1', wires: [['r1']] },
      { id: 'r1', type: 'coupler-record-out', z: 't1', broker: 'b1', device: 'dev-b', lane: 'alarm', signal: '', unit: '', wires: [] },
      { id: 'c1', type: 'catch', z: 't1', scope: ['r1'], wires: [['e1']] },
      { id: 'e1', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['o1']] },
      { id: 'o1', type: 'mqtt out', z: 't1', broker: 'b1', topic: ERRORS_TOPIC, qos: '1', retain: 'false', wires: [] },
    ]),
  );
  return dir;
}

// Each test starts a real Node-RED (about 1 s alone, several on a busy machine).
describe('the project\'s own Node-RED nodes (flows/nodes)', { timeout: 60_000 }, () => {
  it('are in the running Node-RED\'s palette', async () => {
    const { bus, registry } = await startSecuredBus();
    const { baseUrl } = await startNodeRed(bus.port(), registry);
    const { token = '' } = await editorLogin(baseUrl, EDITOR_PASSWORD);
    const response = await fetch(`${baseUrl}/nodes`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
    const sets = (await response.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
    expect(sets.filter((set) => set.module === '@coupler/node-red-coupler').map(({ types, enabled, err }) => ({ types, enabled, err }))).toEqual([
      { types: ['coupler-telemetry-in'], enabled: true, err: undefined },
      { types: ['coupler-record-out'], enabled: true, err: undefined },
      { types: ['coupler-command-out'], enabled: true, err: undefined },
    ]);
  });

  it('scaled-signal: telemetry in (device, signal) -> scale -> record out stores the scaled value in LMDB', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    await nodeRed.deploy([{ name: 'a0', template: 'scaled-signal', parameters: { DEVICE_ID: 'dev-a', RAW_SIGNAL: 'a0', SIGNAL: 'temperature', UNIT: 'Cel', FACTOR: 0.5, OFFSET: -10 } }]);
    const device = await mqttClient(bus.port(), 'dev-a');
    const scaled = () => buffer.recordsAfter('bulk', 0, 1000).filter((record) => record.values.some((value) => value.name === 'temperature'));
    const timestampMs = 1_767_225_600_000;
    await waitFor('a scaled record', async () => {
      await device.publishAsync('coupler/v1/devices/dev-a/telemetry', JSON.stringify({ timestampMs, quality: 'uncertain', values: [{ name: 'a0', value: 100 }, { name: 'a1', value: 7 }] }), { qos: 1 });
      return scaled().length > 0;
    }, 20_000, 300);
    expect(scaled()[0]).toMatchObject({ deviceId: 'dev-a', lane: 'bulk', timestampMs, quality: 'uncertain', values: [{ name: 'temperature', value: 40, unit: 'Cel' }] });
    expect(await counterValue(registry, 'coupler_nodered_deployments_total', { result: 'deployed' })).toBe(1);
  });

  it('record out stores a value in the chosen lane, and names what is wrong with a bad input', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    const observer = await mqttClient(bus.port(), 'obs');
    await observer.subscribeAsync(ERRORS_TOPIC, { qos: 1 });
    const errors: string[] = [];
    observer.on('message', (_topic, payload) => errors.push(payload.toString()));

    await nodeRed.deploy([{ name: 'errors', template: recordOutErrorsTemplate([{ values: [{ name: 'doorOpen', value: 1 }] }, 7, 'text']), parameters: {} }]);
    await waitFor('two errors and one record', () => errors.length >= 2 && buffer.stats().lanes.alarm.records >= 1, 20_000);
    expect(errors.sort()).toEqual([
      'Error: coupler record out: a number payload needs a signal name (the node\'s Signal or msg.signal), 1-64 characters',
      'Error: coupler record out: msg.payload must be a number, or a reading with a values array (docs/topics.md)',
    ]);
    expect(buffer.recordsAfter('alarm', 0, 10)).toMatchObject([{ deviceId: 'dev-b', lane: 'alarm', quality: 'good', values: [{ name: 'doorOpen', value: 1 }] }]);
  });

  it('sdm630-power-quality: a low phase and the imbalance it causes become one alarm record each, once per excursion', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    await nodeRed.deploy([{ name: 'meter', template: 'sdm630-power-quality', parameters: { DEVICE_ID: 'dev-a' } }]);
    const meter = await mqttClient(bus.port(), 'dev-a');
    const timestampMs = 1_767_225_900_000;
    const volts = (l1: number, l2: number, l3: number) =>
      JSON.stringify({ timestampMs, values: [{ name: 'voltageL1', value: l1, unit: 'V' }, { name: 'voltageL2', value: l2, unit: 'V' }, { name: 'voltageL3', value: l3, unit: 'V' }, { name: 'frequency', value: 50, unit: 'Hz' }] });
    await waitFor('two alarms', async () => {
      await meter.publishAsync('coupler/v1/devices/dev-a/telemetry', volts(230, 198, 231), { qos: 1 });
      return buffer.stats().lanes.alarm.records >= 2;
    }, 20_000, 300);
    await meter.publishAsync('coupler/v1/devices/dev-a/telemetry', volts(229, 197, 232), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const alarms = buffer.recordsAfter('alarm', 0, 10).map(({ deviceId, timestampMs: at, values }) => ({ deviceId, at, values }));
    expect(alarms).toEqual([
      { deviceId: 'dev-a', at: timestampMs, values: [{ name: 'voltageL2', value: 198, unit: 'V' }, { name: 'voltageL2BandLow', value: 207, unit: 'V' }] },
      { deviceId: 'dev-a', at: timestampMs, values: [{ name: 'voltageImbalance', value: 9.86, unit: '%' }, { name: 'voltageImbalanceLimit', value: 2, unit: '%' }] },
    ]);
  });

  it('dc-traction-energy: a billing period becomes a bulk record with the net energy and the share regenerated', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    await nodeRed.deploy([{ name: 'traction', template: 'dc-traction-energy', parameters: { DEVICE_ID: 'dev-a' } }]);
    const meter = await mqttClient(bus.port(), 'dev-a');
    const periodStart = 1_767_225_600_000;
    const period = JSON.stringify({
      timestampMs: periodStart + 300_000,
      values: [
        { name: 'periodStart', value: periodStart, unit: 'ms' },
        { name: 'periodEnd', value: periodStart + 300_000, unit: 'ms' },
        { name: 'activeEnergyConsumed', value: 2.5, unit: 'kWh' },
        { name: 'activeEnergyRegenerated', value: 0.75, unit: 'kWh' },
      ],
    });
    await waitFor('a derived record', async () => {
      await meter.publishAsync('coupler/v1/devices/dev-a/billing', period, { qos: 1 });
      return buffer.stats().lanes.bulk.records >= 1;
    }, 20_000, 300);
    expect(buffer.recordsAfter('bulk', 0, 1)).toMatchObject([
      {
        deviceId: 'dev-a',
        timestampMs: periodStart,
        values: [
          { name: 'periodStart', value: periodStart, unit: 'ms' },
          { name: 'activeEnergyNet', value: 1.75, unit: 'kWh' },
          { name: 'regeneratedShare', value: 30, unit: '%' },
        ],
      },
    ]);
    expect(buffer.stats().lanes.billing.records).toBeGreaterThanOrEqual(1);
  });

  it('debounced-input: a bouncing contact gives one record per settled value, stamped when it began', async () => {
    const { bus, buffer, registry } = await startSecuredBus();
    const { nodeRed } = await startNodeRed(bus.port(), registry);
    await nodeRed.deploy([{ name: 'door', template: 'debounced-input', parameters: { DEVICE_ID: 'dev-a', RAW_SIGNAL: 'd2', SIGNAL: 'doorOpen', DEBOUNCE_MS: 200 } }]);
    const arduino = await mqttClient(bus.port(), 'dev-a');
    const input = (value: number, timestampMs: number) => arduino.publishAsync('coupler/v1/devices/dev-a/telemetry', JSON.stringify({ timestampMs, values: [{ name: 'd2', value }] }), { qos: 1 });
    const settled = () => buffer.recordsAfter('bulk', 0, 1000).filter((record) => record.values[0]?.name === 'doorOpen').map((record) => ({ at: record.timestampMs, value: record.values[0]?.value }));
    const firstAt = Date.now();
    await waitFor('the settled closed door', async () => {
      await input(0, Date.now());
      return settled().length >= 1;
    }, 20_000, 300);
    const t = Date.now() + 1000;
    for (const [value, offsetMs] of [[1, 0], [0, 10], [1, 20], [1, 30], [1, 300]] as const) await input(value, t + offsetMs);
    await waitFor('the settled open door', () => settled().length >= 2, 5000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const records = settled();
    expect(records).toEqual([
      { at: expect.any(Number) as number, value: 0 },
      { at: t + 20, value: 1 },
    ]);
    expect(records[0]?.at).toBeGreaterThanOrEqual(firstAt);
  });
});
