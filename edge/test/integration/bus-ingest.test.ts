import { describe, expect, it, onTestFinished } from 'vitest';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { Bus } from '../../src/bus/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { mqttClient, silentLogger, testRegistry } from '../helpers/gateway-parts.js';
import { waitFor } from '../helpers/wait-for.js';
import { busUser } from '../helpers/security.js';

async function startBusWithBuffer(): Promise<{ bus: Bus; buffer: LmdbBuffer }> {
  const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-test', quotaBytes: 1 << 30 });
  buffer.open();
  const users = await Promise.all([
    ...['sensor-7', 'door-1', 'sensor-8'].map((name) => busUser(name, 'device')),
    ...['flow-engine', 'hmi'].map((name) => busUser(name, 'service')),
  ]);
  const credentials = { user: (name: string) => users.find((u) => u.username === name) };
  const bus = new Bus({ host: '127.0.0.1', port: 0 }, { logger: silentLogger(), registry: testRegistry(), ingest: buffer, credentials, now: () => 1_700_000_000_000 });
  await bus.start();
  onTestFinished(async () => {
    await bus.stop();
    await buffer.close();
  });
  return { bus, buffer };
}

const telemetry = JSON.stringify({ timestampMs: 1_700_000_000_123, values: [{ name: 'temperature', value: 21.5, unit: 'Cel' }] });

describe('local bus ingest', () => {
  it('answers a QoS 1 publish only after its record is in the buffer', async () => {
    const { bus, buffer } = await startBusWithBuffer();
    const device = await mqttClient(bus.port(), 'sensor-7');
    await device.publishAsync('coupler/v1/devices/sensor-7/telemetry', telemetry, { qos: 1 });
    // The PUBACK has arrived: the record must already be committed.
    expect(buffer.recordsAfter('bulk', 0, 10)).toEqual([
      { sequence: 1, deviceId: 'sensor-7', timestampMs: 1_700_000_000_123, quality: 'good', lane: 'bulk', values: [{ name: 'temperature', value: 21.5, unit: 'Cel' }] },
    ]);
  });

  it('puts alarm and billing topics in their own lanes', async () => {
    const { bus, buffer } = await startBusWithBuffer();
    const device = await mqttClient(bus.port(), 'door-1');
    await device.publishAsync('coupler/v1/devices/door-1/alarm', telemetry, { qos: 1 });
    await device.publishAsync('coupler/v1/devices/door-1/billing', telemetry, { qos: 1 });
    expect(buffer.recordsAfter('alarm', 0, 10).map((r) => r.sequence)).toEqual([1]);
    expect(buffer.recordsAfter('billing', 0, 10).map((r) => r.sequence)).toEqual([2]);
    expect(buffer.recordsAfter('bulk', 0, 10)).toEqual([]);
  });

  it('quarantines a malformed payload with its reason and keeps the connection and later messages', async () => {
    const { bus, buffer } = await startBusWithBuffer();
    const device = await mqttClient(bus.port(), 'sensor-8');
    await device.publishAsync('coupler/v1/devices/sensor-8/telemetry', '{"values": [{"name": "t", "value": "hot"}]}', { qos: 1 });
    await device.publishAsync('coupler/v1/devices/sensor-8/telemetry', 'not json', { qos: 1 });
    await device.publishAsync('coupler/v1/devices/sensor-8/telemetry', telemetry, { qos: 1 });
    expect(device.connected).toBe(true);
    expect(bus.quarantined().map((q) => q.reason)).toEqual(['values[0].value: must be number (got "hot")', 'payload is not valid JSON']);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.deviceId)).toEqual(['sensor-8']);
  });

  it('leaves other topics local and delivers driver readings to subscribers after buffering them', async () => {
    const { bus, buffer } = await startBusWithBuffer();
    const listener = await mqttClient(bus.port(), 'flow-engine');
    const received: { topic: string; payload: string }[] = [];
    listener.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await listener.subscribeAsync('coupler/v1/#', { qos: 1 });

    const other = await mqttClient(bus.port(), 'hmi');
    await other.publishAsync('coupler/v1/hmi/screen', 'page 2', { qos: 1 });
    await bus.publish({ deviceId: 'meter-1', timestampMs: 5, quality: 'good', lane: 'bulk', values: [{ name: 'frequency', value: 50, unit: 'Hz' }] });

    await waitFor('both messages at the subscriber', () => received.length === 2);
    expect(received).toEqual([
      { topic: 'coupler/v1/hmi/screen', payload: 'page 2' },
      { topic: 'coupler/v1/devices/meter-1/telemetry', payload: '{"timestampMs":5,"quality":"good","values":[{"name":"frequency","value":50,"unit":"Hz"}]}' },
    ]);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.deviceId)).toEqual(['meter-1']);
  });
});
