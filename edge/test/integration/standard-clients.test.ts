import { describe, expect, it } from 'vitest';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { STANDARD_CLIENTS, type QoS, type Received } from '../helpers/standard-clients.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * SPEC §4: standard MQTT 3.1.1 clients work with the local broker, logged in with the users of
 * helpers/secured-bus.ts (devices dev-a and dev-b, service svc, observer obs), and an MQTT 5
 * client is refused cleanly (the released aedes speaks 3.1 and 3.1.1 only).
 */
const reading = (value: number) => JSON.stringify({ timestampMs: 1_700_000_000_000 + value, values: [{ name: 'v', value }] });
/** Each client's own words for CONNACK return code 1 (libmosquitto and Paho map it to MQTT 5's 0x84). */
const MQTT5_REFUSALS: Record<string, RegExp> = {
  'mosquitto_pub/mosquitto_sub': /^Connection error: Unsupported Protocol Version\./,
  'mqtt.js': /^1 Connection refused: Unacceptable protocol version$/,
  'Paho (Python)': /^CONNACK 132$/,
};
const device = (user: string, clientId = user) => ({ user, clientId });

describe.each(STANDARD_CLIENTS)('$name against the broker', (client) => {
  it('delivers QoS 0, 1 and 2 from a device to a subscriber at that QoS, and buffers each reading once', async () => {
    const { bus, buffer } = await startSecuredBus();
    const observer = await client.subscribe(bus.port(), device('obs'), 'coupler/v1/devices/dev-a/#', 2);
    expect(observer.granted).toEqual([2]);

    for (const qos of [0, 1, 2] as const) await client.publish(bus.port(), device('dev-a'), 'coupler/v1/devices/dev-a/telemetry', reading(qos), { qos });

    const received = await observer.waitForMessages(3);
    expect(received.map((m) => [m.topic, m.payload, m.qos, m.retain])).toEqual(
      [0, 1, 2].map((qos) => ['coupler/v1/devices/dev-a/telemetry', reading(qos), qos, false]),
    );
    // QoS 0 has no acknowledgement to wait for; it is buffered before it is forwarded.
    const values = await waitFor('three buffered readings', () => {
      const records = buffer.recordsAfter('bulk', 0, 10);
      return records.length >= 3 && records.map((r) => r.values[0]?.value);
    });
    expect(values).toEqual([0, 1, 2]);
  });

  it('keeps a retained message for a subscriber that comes later, and forwards live ones without the retain flag', async () => {
    const { bus } = await startSecuredBus();
    await client.publish(bus.port(), device('dev-a'), 'coupler/v1/devices/dev-a/state', 'online', { qos: 1, retain: true });

    const later = await client.subscribe(bus.port(), device('obs'), 'coupler/v1/devices/dev-a/state', 1);
    expect(await later.waitForMessages(1)).toEqual([{ topic: 'coupler/v1/devices/dev-a/state', payload: 'online', qos: 1, retain: true }]);

    // [MQTT-3.3.1-9]: a message for an established subscription goes out with RETAIN 0.
    await client.publish(bus.port(), device('dev-a'), 'coupler/v1/devices/dev-a/state', 'busy', { qos: 1, retain: true });
    expect((await later.waitForMessages(2))[1]).toEqual({ topic: 'coupler/v1/devices/dev-a/state', payload: 'busy', qos: 1, retain: false });
    const another = await client.subscribe(bus.port(), device('obs', 'obs-2'), 'coupler/v1/devices/dev-a/state', 1);
    expect(await another.waitForMessages(1)).toEqual([{ topic: 'coupler/v1/devices/dev-a/state', payload: 'busy', qos: 1, retain: true }]);
  });

  it('publishes the will of a device that goes away without DISCONNECT, and not of one that disconnects', async () => {
    const { bus } = await startSecuredBus();
    const observer = await client.subscribe(bus.port(), device('obs'), 'coupler/v1/devices/+/link', 1);
    const willOf = (user: string) => ({ ...device(user), will: { topic: `coupler/v1/devices/${user}/link`, payload: 'lost', qos: 1 as QoS } });

    const polite = await client.subscribe(bus.port(), willOf('dev-b'), 'coupler/v1/devices/dev-b/cmd/#', 1);
    await polite.disconnect();
    const unplugged = await client.subscribe(bus.port(), willOf('dev-a'), 'coupler/v1/devices/dev-a/cmd/#', 1);
    await unplugged.die();
    await client.publish(bus.port(), device('svc'), 'coupler/v1/devices/marker/link', 'after both', { qos: 1 });

    const received = await observer.waitForMessages(2);
    expect(received.map((m): Partial<Received> => ({ topic: m.topic, payload: m.payload, qos: m.qos }))).toEqual([
      { topic: 'coupler/v1/devices/dev-a/link', payload: 'lost', qos: 1 },
      { topic: 'coupler/v1/devices/marker/link', payload: 'after both', qos: 1 },
    ]);
  });

  it('keeps a persistent session: a QoS 1 message sent while the subscriber was away arrives when it reconnects', async () => {
    const { bus } = await startSecuredBus();
    const persistent = { user: 'dev-b', clientId: 'dev-b-persistent', clean: false };
    const first = await client.subscribe(bus.port(), persistent, 'coupler/v1/devices/dev-b/cmd/#', 1);
    expect(first.granted).toEqual([1]);
    await first.disconnect();

    await client.publish(bus.port(), device('svc'), 'coupler/v1/devices/dev-b/cmd/reset', 'while away', { qos: 1 });

    const back = await client.subscribe(bus.port(), persistent, 'coupler/v1/devices/dev-b/cmd/#', 1);
    expect(await back.waitForMessages(1)).toEqual([{ topic: 'coupler/v1/devices/dev-b/cmd/reset', payload: 'while away', qos: 1, retain: false }]);
  });

  it('refuses an MQTT 5 client at once with CONNACK 1 and goes on serving MQTT 3.1.1 clients', async () => {
    const { bus, buffer, refusals } = await startSecuredBus();
    const startedMs = Date.now();
    const { refusal } = await client.connectAsMqtt5(bus.port(), device('dev-a'));
    expect(refusal).toMatch(MQTT5_REFUSALS[client.name] ?? /no pattern for this client/);
    expect(Date.now() - startedMs).toBeLessThan(5000);
    expect(await refusals()).toEqual({ protocol_version: 1 });

    await client.publish(bus.port(), device('dev-a'), 'coupler/v1/devices/dev-a/telemetry', reading(7), { qos: 1 });
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.values[0]?.value)).toEqual([7]);
  });
});
