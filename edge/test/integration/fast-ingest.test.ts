import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { closesWithin, connectPacket, publishPacket, rawConnection, subscribePacket, type RawConnection } from '../helpers/raw-mqtt.js';
import { mqttClient } from '../helpers/gateway-parts.js';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { passwordOf } from '../helpers/security.js';
import { waitFor } from '../helpers/wait-for.js';

// The device path around aedes (edge/src/bus/fast-ingest.ts, decision 0014): what a device and
// the gateway's own subscribers see must be what aedes alone gave them.
const reading = (value: number) => JSON.stringify({ timestampMs: 1_700_000_000_000 + value, values: [{ name: 'v', value }] });
const TELEMETRY = 'coupler/v1/devices/dev-a/telemetry';
const CONNACK_ACCEPTED = '20020000';

async function connectedDevice(port: number, keepaliveSeconds = 60): Promise<RawConnection> {
  const raw = await rawConnection(port);
  raw.send(connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a'), keepaliveSeconds }));
  expect((await raw.waitForBytes(4)).subarray(0, 4).toString('hex')).toBe(CONNACK_ACCEPTED);
  return raw;
}

/** The packet identifiers of the PUBACKs in what the broker sent after its CONNACK. */
function pubackIds(received: Buffer): number[] {
  const ids: number[] = [];
  for (let at = 4; at + 4 <= received.length; at += 4) {
    expect(received.subarray(at, at + 2).toString('hex')).toBe('4002');
    ids.push(received.readUInt16BE(at + 2));
  }
  return ids;
}

describe('fast ingest path', () => {
  it('acknowledges pipelined publishes in their order, however the stream is split, and buffers them in that order', async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await connectedDevice(bus.port());
    const ids = Array.from({ length: 300 }, (_, n) => n + 1);
    const stream = Buffer.concat(ids.map((id) => publishPacket(TELEMETRY, reading(id), 1, id)));
    // Odd piece sizes: packets straddle pieces, some heads are cut inside the remaining length.
    for (let at = 0, size = 1; at < stream.length; at += size, size = (size * 7 + 3) % 211 || 1) raw.send(stream.subarray(at, at + size));
    await raw.waitForBytes(4 + ids.length * 4);
    expect(pubackIds(raw.received())).toEqual(ids);
    expect(buffer.recordsAfter('bulk', 0, 1000).map((r) => r.values[0]?.value)).toEqual(ids);
  });

  it('follows the packet boundaries from the CONNECT on, when the stream is cut inside fixed headers', async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await rawConnection(bus.port());
    const ids = Array.from({ length: 40 }, (_, n) => n + 1);
    const connect = connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a') });
    // A payload of 200 bytes makes a two-byte remaining length, so a cut can fall between its bytes.
    const stream = Buffer.concat([connect, ...ids.map((id) => publishPacket(TELEMETRY, reading(id).padEnd(200), 1, id))]);
    const cuts = [1, 2, connect.length + 1, connect.length + 2, connect.length + 3, connect.length + 250];
    cuts.forEach((cut, i) => {
      setTimeout(() => { raw.send(stream.subarray(i === 0 ? 0 : (cuts[i - 1] ?? 0), cut)); }, i * 20);
    });
    setTimeout(() => { raw.send(stream.subarray(cuts.at(-1))); }, cuts.length * 20);
    await raw.waitForBytes(4 + ids.length * 4);
    expect(raw.received().subarray(0, 4).toString('hex')).toBe(CONNACK_ACCEPTED);
    expect(pubackIds(raw.received())).toEqual(ids);
    expect(buffer.recordsAfter('bulk', 0, 100).map((r) => r.values[0]?.value)).toEqual(ids);
  });

  it('keeps the order of a publish whose start reached aedes before the CONNACK and the publishes after it in one chunk', async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await rawConnection(bus.port());
    const ids = Array.from({ length: 20 }, (_, n) => n + 1);
    const connect = connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a') });
    const publishes = Buffer.concat(ids.map((id) => publishPacket(TELEMETRY, reading(id), 1, id)));
    // The first publish's head goes to aedes with the CONNECT; its rest comes once the client is
    // connected, in one chunk with the other publishes, which the fast path takes.
    raw.send(Buffer.concat([connect, publishes.subarray(0, 5)]));
    expect((await raw.waitForBytes(4)).subarray(0, 4).toString('hex')).toBe(CONNACK_ACCEPTED);
    await new Promise((resolve) => setTimeout(resolve, 50));
    raw.send(publishes.subarray(5));
    await raw.waitForBytes(4 + ids.length * 4);
    expect(pubackIds(raw.received())).toEqual(ids);
    expect(buffer.recordsAfter('bulk', 0, 100).map((r) => r.values[0]?.value)).toEqual(ids);
  });

  it('delivers device telemetry to a local subscriber that asks for it, and none to one that left', async () => {
    const { bus, buffer } = await startSecuredBus();
    const device = await mqttClient(bus.port(), 'dev-a');
    await device.publishAsync(TELEMETRY, reading(1), { qos: 1 });

    // Node-RED's coupler-telemetry-in subscribes like this (flows/nodes/node-red-coupler).
    const flows = await mqttClient(bus.port(), 'svc');
    const seen: { topic: string; payload: string; qos: number }[] = [];
    flows.on('message', (topic, payload, packet) => seen.push({ topic, payload: payload.toString(), qos: packet.qos }));
    await flows.subscribeAsync('coupler/v1/devices/+/telemetry', { qos: 1 });
    await device.publishAsync(TELEMETRY, reading(2), { qos: 1 });
    await device.publishAsync(TELEMETRY, reading(3), { qos: 1 });
    await waitFor('two messages at the subscriber', () => seen.length === 2);
    expect(seen).toEqual([
      { topic: TELEMETRY, payload: reading(2), qos: 1 },
      { topic: TELEMETRY, payload: reading(3), qos: 1 },
    ]);

    await flows.unsubscribeAsync('coupler/v1/devices/+/telemetry');
    await device.publishAsync(TELEMETRY, reading(4), { qos: 1 });
    await device.publishAsync('coupler/v1/devices/dev-a/alarm', reading(5), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(2);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.values[0]?.value)).toEqual([1, 2, 3, 4]);
    expect(buffer.recordsAfter('alarm', 0, 10).map((r) => r.values[0]?.value)).toEqual([5]);
  });

  it('queues device telemetry for a persistent session that is away', async () => {
    const { bus } = await startSecuredBus();
    const session = { clientId: 'svc-session', username: 'svc', password: passwordOf('svc'), clean: false, reconnectPeriod: 0 };
    const persistent = await connectAsync(`mqtt://127.0.0.1:${bus.port()}`, session);
    await persistent.subscribeAsync('coupler/v1/devices/dev-a/#', { qos: 1 });
    await persistent.endAsync();

    const device = await mqttClient(bus.port(), 'dev-a');
    await device.publishAsync(TELEMETRY, reading(7), { qos: 1 });

    const back = await connectAsync(`mqtt://127.0.0.1:${bus.port()}`, session);
    const seen: string[] = [];
    back.on('message', (_topic, payload) => seen.push(payload.toString()));
    await waitFor('the queued message', () => seen.length === 1);
    expect(seen).toEqual([reading(7)]);
    await back.endAsync();
  });

  it('keeps a client that only publishes alive past 1.5 times its keepalive, and drops it once it goes quiet', { timeout: 15_000 }, async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await connectedDevice(bus.port(), 1);
    // aedes closes a client it has not heard from for 1.5 x keepalive ([MQTT-3.1.2-24]): 1.5 s here.
    for (let id = 1; id <= 12; id++) {
      raw.send(publishPacket(TELEMETRY, reading(id), 1, id));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(await closesWithin(raw, 1)).toBe(false);
    expect(pubackIds(raw.received())).toHaveLength(12);
    expect(buffer.recordsAfter('bulk', 0, 100)).toHaveLength(12);
    expect(await closesWithin(raw, 4000)).toBe(true);
  });

  it('refuses a publish outside the ACL as before: no PUBACK, connection closed, counted; the device’s earlier records stay', async () => {
    const { bus, buffer, refusals } = await startSecuredBus();
    const raw = await connectedDevice(bus.port());
    raw.send(Buffer.concat([publishPacket(TELEMETRY, reading(1), 1, 1), publishPacket('coupler/v1/devices/dev-b/telemetry', reading(2), 1, 2)]));
    expect(await closesWithin(raw)).toBe(true);
    expect(pubackIds(raw.received()).filter((id) => id === 2)).toEqual([]);
    await waitFor('the first record', () => buffer.recordsAfter('bulk', 0, 10).length === 1);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.deviceId)).toEqual(['dev-a']);
    expect(await refusals()).toEqual({ acl_publish: 1 });
  });

  it('quarantines a malformed payload, tells the sender and acknowledges it, as aedes did', async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await connectedDevice(bus.port());
    raw.send(subscribePacket(1, [['coupler/v1/devices/dev-a/status/rejected', 0]]));
    await raw.waitForBytes(4 + 5);
    raw.send(publishPacket(TELEMETRY, 'not json', 1, 9));
    await waitFor('the rejection status', () => raw.received().includes('payload is not valid JSON'));
    await waitFor('the PUBACK', () => raw.received().includes(Buffer.from('40020009', 'hex')));
    expect(bus.quarantined().map((q) => q.reason)).toEqual(['payload is not valid JSON']);
    expect(buffer.recordsAfter('bulk', 0, 10)).toEqual([]);
  });

  it('survives a client that closes while its records are being committed, and serves the next one', async () => {
    const { bus, buffer } = await startSecuredBus();
    const raw = await connectedDevice(bus.port());
    raw.send(Buffer.concat(Array.from({ length: 50 }, (_, n) => publishPacket(TELEMETRY, reading(n), 1, n + 1))));
    raw.socket.destroy();
    const device = await mqttClient(bus.port(), 'dev-b');
    await device.publishAsync('coupler/v1/devices/dev-b/telemetry', reading(100), { qos: 1 });
    expect(buffer.recordsAfter('bulk', 0, 100).filter((r) => r.deviceId === 'dev-b')).toHaveLength(1);
  });
});
