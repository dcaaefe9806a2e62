import { encode as encodeCbor } from 'cbor-x';
import { connectAsync, type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { mqttClient } from '../helpers/gateway-parts.js';
import { startLocalApi } from '../helpers/local-api.js';
import { closesWithin, connectPacket, mqttString, packet, publishPacket, rawConnection, subscribePacket, u16 } from '../helpers/raw-mqtt.js';
import { startSecuredBus } from '../helpers/secured-bus.js';
import { ADMIN_KEY, passwordOf, READ_KEY } from '../helpers/security.js';
import { waitFor } from '../helpers/wait-for.js';

const reading = (value: number) => JSON.stringify({ timestampMs: 1_700_000_000_000 + value, values: [{ name: 'v', value }] });
const CONNACK_ACCEPTED = '20020000';
const MAX_PACKET_BYTES = 4096;

/** A raw client logged in as dev-a that has had one QoS 1 reading acknowledged (so durable). */
async function loggedInRawDevice(port: number) {
  const raw = await rawConnection(port);
  raw.send(connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a') }));
  expect((await raw.waitForBytes(4)).toString('hex')).toBe(CONNACK_ACCEPTED);
  raw.send(publishPacket('coupler/v1/devices/dev-a/telemetry', reading(1), 1, 7));
  // PUBACK for packet id 7: the record is committed.
  expect((await raw.waitForBytes(8)).subarray(4, 8).toString('hex')).toBe('40020007');
  return raw;
}

const malformed: { name: string; bytes: Buffer; reason: string }[] = [
  { name: 'remaining length of five bytes', bytes: Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), reason: 'malformed_packet' },
  { name: 'reserved flags on SUBSCRIBE', bytes: packet(0x80, Buffer.concat([u16(3), mqttString('coupler/v1/devices/dev-a/#'), Buffer.from([1])])), reason: 'malformed_packet' },
  { name: 'reserved flags on PUBACK', bytes: packet(0x41, u16(1)), reason: 'malformed_packet' },
  { name: 'reserved packet type 15', bytes: packet(0xf0, Buffer.alloc(0)), reason: 'malformed_packet' },
  { name: 'PUBLISH with QoS 3', bytes: packet(0x36, Buffer.concat([mqttString('coupler/v1/devices/dev-a/telemetry'), u16(2), Buffer.from(reading(2))])), reason: 'malformed_packet' },
  { name: 'wildcard in a PUBLISH topic', bytes: publishPacket('coupler/v1/devices/dev-a/+', reading(2), 1, 2), reason: 'malformed_packet' },
  { name: 'ill-formed UTF-8 in the topic', bytes: publishPacket(Buffer.concat([Buffer.from('coupler/v1/devices/dev-a/'), Buffer.from([0xc3, 0x28])]), reading(2), 1, 2), reason: 'malformed_packet' },
  { name: 'UTF-8 encoded surrogate in the topic', bytes: publishPacket(Buffer.concat([Buffer.from('coupler/v1/devices/dev-a/'), Buffer.from([0xed, 0xa0, 0x80])]), reading(2), 0), reason: 'malformed_packet' },
  { name: 'U+0000 in the topic', bytes: publishPacket('coupler/v1/devices/dev-a/\u0000x', reading(2), 0), reason: 'malformed_packet' },
  { name: 'packet identifier 0 on QoS 1', bytes: publishPacket('coupler/v1/devices/dev-a/telemetry', reading(2), 1, 0), reason: 'malformed_packet' },
  { name: 'SUBSCRIBE with packet identifier 0', bytes: packet(0x82, Buffer.concat([u16(0), mqttString('coupler/v1/devices/dev-a/#'), Buffer.from([1])])), reason: 'malformed_packet' },
  { name: 'SUBSCRIBE without a filter', bytes: packet(0x82, u16(5)), reason: 'malformed_packet' },
  { name: 'oversize PUBLISH', bytes: publishPacket('coupler/v1/devices/dev-a/telemetry', Buffer.alloc(MAX_PACKET_BYTES), 1, 3), reason: 'packet_too_large' },
  { name: 'oversize length announced in the header alone', bytes: Buffer.from([0x30, 0x80, 0x80, 0x80, 0x01]), reason: 'packet_too_large' },
];

describe('bad MQTT input', () => {
  it.each(malformed)('closes the connection on $name, keeps what was accepted and serves the others', async ({ bytes, reason }) => {
    const { bus, buffer, refusals } = await startSecuredBus({ limits: { maxPacketBytes: MAX_PACKET_BYTES } });
    const other = await mqttClient(bus.port(), 'dev-b');
    await other.publishAsync('coupler/v1/devices/dev-b/telemetry', reading(10), { qos: 1 });
    const raw = await loggedInRawDevice(bus.port());

    raw.send(bytes);
    expect(await closesWithin(raw)).toBe(true);
    // Nothing after the refusal was acknowledged.
    expect(raw.received().length).toBe(8);

    await other.publishAsync('coupler/v1/devices/dev-b/telemetry', reading(11), { qos: 1 });
    expect(other.connected).toBe(true);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => `${r.deviceId}:${r.values[0]?.value ?? ''}`)).toEqual(['dev-b:10', 'dev-a:1', 'dev-b:11']);
    expect(await refusals()).toEqual({ [reason]: 1 });
  });

  it('answers an MQTT 5 CONNECT with return code 1 (unacceptable protocol version) and closes', async () => {
    const { bus, refusals } = await startSecuredBus();
    const raw = await rawConnection(bus.port());
    raw.send(connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a'), level: 5 }));
    expect((await raw.waitForBytes(4)).toString('hex')).toBe('20020001');
    expect(await closesWithin(raw)).toBe(true);
    expect(await refusals()).toEqual({ protocol_version: 1 });
  });

  it.each([
    { name: 'a wrong password', username: 'dev-a', password: 'nope', code: 4, reason: 'bad_credentials' },
    { name: 'an unknown user', username: 'mallory', password: 'pw-mallory', code: 4, reason: 'bad_credentials' },
    { name: 'a user name without a password', username: 'dev-a', password: undefined, code: 4, reason: 'bad_credentials' },
    { name: 'no credentials', username: undefined, password: undefined, code: 5, reason: 'no_credentials' },
  ])('refuses $name with CONNACK $code', async ({ username, password, code, reason }) => {
    const { bus, refusals } = await startSecuredBus();
    const raw = await rawConnection(bus.port());
    raw.send(connectPacket({ clientId: 'dev-a', ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) }));
    expect((await raw.waitForBytes(4)).toString('hex')).toBe(`200200${code.toString(16).padStart(2, '0')}`);
    expect(await closesWithin(raw)).toBe(true);
    expect(await refusals()).toEqual({ [reason]: 1 });
  });

  it('lets mqtt.js see the refusal as its CONNACK code', async () => {
    const { bus } = await startSecuredBus();
    await expect(connectAsync(`mqtt://127.0.0.1:${bus.port()}`, { clientId: 'x', username: 'dev-a', password: 'wrong', reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
  });

  it('lets an anonymous device in only when allowAnonymous is set, and then only under its client id', async () => {
    const closed = await startSecuredBus();
    await expect(connectAsync(`mqtt://127.0.0.1:${closed.bus.port()}`, { clientId: 'dev-c', reconnectPeriod: 0 })).rejects.toMatchObject({ code: 5 });
    const open = await startSecuredBus({ allowAnonymous: true });
    const device = await mqttClient(open.bus.port(), 'dev-c', null);
    await device.publishAsync('coupler/v1/devices/dev-c/telemetry', reading(1), { qos: 1 });
    expect(open.buffer.recordsAfter('bulk', 0, 10).map((r) => r.deviceId)).toEqual(['dev-c']);
    const raw = await rawConnection(open.bus.port());
    raw.send(connectPacket({ clientId: 'dev-d' }));
    raw.send(subscribePacket(4, [['coupler/v1/devices/dev-a/#', 1], ['coupler/v1/devices/dev-d/#', 1]]));
    // CONNACK accepted, then SUBACK for packet 4: 0x80 (failure) for dev-a's tree, QoS 1 for its own.
    expect((await raw.waitForBytes(10)).toString('hex')).toBe(`${CONNACK_ACCEPTED}9004000480` + '01');
  });
});

describe('topic ACLs', () => {
  it('grants a device SUBSCRIBE only under its own id (0x80 for the rest)', async () => {
    const { bus, refusals } = await startSecuredBus();
    const raw = await loggedInRawDevice(bus.port());
    raw.send(subscribePacket(5, [['coupler/v1/devices/dev-a/#', 1], ['coupler/v1/devices/dev-b/#', 1], ['coupler/v1/#', 0], ['#', 0], ['coupler/v1/devices/+/status/rejected', 1]]));
    // SUBACK for packet 5 (MQTT 3.1.1 §3.9.3): QoS 1 for its own tree, 0x80 (Failure) for the other four.
    expect((await raw.waitForBytes(8 + 9)).subarray(8).toString('hex')).toBe('900700050180808080');
    raw.send(publishPacket('coupler/v1/devices/dev-a/alarm', reading(2), 1, 8));
    // Still connected: the PUBACK comes, then its own message through its granted subscription.
    expect((await raw.waitForBytes(8 + 9 + 4)).subarray(17, 21).toString('hex')).toBe('40020008');
    expect(await refusals()).toEqual({ acl_subscribe: 4 });
  });

  it('closes a device that publishes under another id, before anything reaches the buffer', async () => {
    const { bus, buffer, refusals } = await startSecuredBus();
    const raw = await loggedInRawDevice(bus.port());
    raw.send(publishPacket('coupler/v1/devices/dev-b/telemetry', reading(2), 1, 9));
    expect(await closesWithin(raw)).toBe(true);
    expect(raw.received().length).toBe(8);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.deviceId)).toEqual(['dev-a']);
    expect(await refusals()).toEqual({ acl_publish: 1 });
  });

  it('lets an observer read everything and publish nothing; a service publishes for any device', async () => {
    const { bus, buffer, refusals } = await startSecuredBus();
    const observer = await mqttClient(bus.port(), 'obs');
    const seen: string[] = [];
    observer.on('message', (topic) => seen.push(topic));
    expect((await observer.subscribeAsync('coupler/v1/#', { qos: 1 }))[0]?.qos).toBe(1);
    const service = await mqttClient(bus.port(), 'svc');
    await service.publishAsync('coupler/v1/devices/meter-9/billing', reading(3), { qos: 1 });
    await waitFor('the observer to see the service message', () => seen.includes('coupler/v1/devices/meter-9/billing'));
    expect(buffer.recordsAfter('billing', 0, 10).map((r) => r.deviceId)).toEqual(['meter-9']);

    const closed = new Promise<void>((resolve) => observer.once('close', () => { resolve(); }));
    observer.publish('coupler/v1/devices/meter-9/telemetry', reading(4), { qos: 1 });
    await closed;
    expect(buffer.recordsAfter('bulk', 0, 10)).toEqual([]);
    expect(await refusals()).toEqual({ acl_publish: 1 });
  });

  it('refuses a CONNECT whose will is outside the ACL with CONNACK 5', async () => {
    const { bus, refusals } = await startSecuredBus();
    const raw = await rawConnection(bus.port());
    raw.send(connectPacket({ clientId: 'dev-a', username: 'dev-a', password: passwordOf('dev-a'), willTopic: 'coupler/v1/devices/dev-b/alarm' }));
    expect((await raw.waitForBytes(4)).toString('hex')).toBe('20020005');
    expect(await refusals()).toEqual({ acl_will: 1 });
  });

  it('closes connections beyond the connection rate and counts them', async () => {
    const { bus, refusals } = await startSecuredBus({ limits: { connectionsPerSecond: 2 } });
    const attempts = await Promise.all([1, 2, 3, 4].map(() => rawConnection(bus.port())));
    const closed = await Promise.all(attempts.map((raw) => closesWithin(raw, 1000)));
    expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect((await refusals())['connection_rate']).toBeGreaterThanOrEqual(2);
  });
});

describe('bad payloads', () => {
  async function subscribedDevice(port: number): Promise<{ device: MqttClient; statuses: unknown[] }> {
    const device = await mqttClient(port, 'dev-a');
    const statuses: unknown[] = [];
    device.on('message', (_topic, payload) => statuses.push(JSON.parse(payload.toString()) as unknown));
    await device.subscribeAsync('coupler/v1/devices/dev-a/status/rejected', { qos: 1 });
    return { device, statuses };
  }

  it('quarantines malformed JSON and CBOR with reasons, tells the sender, and buffers the valid ones', async () => {
    const { bus, buffer } = await startSecuredBus();
    const { device, statuses } = await subscribedDevice(bus.port());
    const telemetry = 'coupler/v1/devices/dev-a/telemetry';
    const bad: [string, Buffer | string, string][] = [
      [telemetry, '{"values": [', 'payload is not valid JSON'],
      [telemetry, '{"values": [{"name": "t", "value": "hot"}]}', 'values[0].value: must be number (got "hot")'],
      [telemetry, '{"values": [], "extra": 1}', 'extra: is not a known key (got 1); values: must NOT have fewer than 1 items (got [])'],
      [`${telemetry}/cbor`, Buffer.from([0xff, 0x00, 0x13]), 'payload is not valid CBOR'],
      [`${telemetry}/cbor`, Buffer.concat([encodeCbor({ values: [{ name: 't', value: 1 }] }), Buffer.from([0x01])]), 'payload is not valid CBOR'],
      [`${telemetry}/cbor`, encodeCbor(new Map([['__proto__', { values: [] }], ['values', [{ name: 't', value: 1 }]]])), '__proto__: is not a known key (got {"values":[]})'],
      [`${telemetry}/cbor`, encodeCbor({ values: [{ name: 't', value: Number.NaN }] }), 'CBOR payload holds NaN or an infinity, which a reading cannot'],
      [`${telemetry}/cbor`, encodeCbor({ timestampMs: new Date(0), values: [{ name: 't', value: 1 }] }), 'CBOR payload holds a Date, which a reading cannot'],
    ];
    for (const [topic, payload] of bad) await device.publishAsync(topic, payload, { qos: 1 });
    await device.publishAsync(`${telemetry}/cbor`, encodeCbor({ timestampMs: 5, quality: 'uncertain', values: [{ name: 'pressure', value: 1.5, unit: 'bar' }] }), { qos: 1 });
    await device.publishAsync(telemetry, reading(6), { qos: 1 });

    expect(device.connected).toBe(true);
    expect(bus.quarantined().map((q) => [q.topic, q.reason])).toEqual(bad.map(([topic, , reason]) => [topic, reason]));
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => [r.timestampMs, r.quality, r.values])).toEqual([
      [5, 'uncertain', [{ name: 'pressure', value: 1.5, unit: 'bar' }]],
      [1_700_000_000_006, 'good', [{ name: 'v', value: 6, unit: '' }]],
    ]);
    await waitFor('a status message per rejected payload', () => statuses.length === bad.length);
    expect(statuses[0]).toEqual({ code: 'CPL_ERR_BUS_PAYLOAD_INVALID', topic: telemetry, reason: 'payload is not valid JSON', receivedAtMs: expect.any(Number) as unknown, payloadBytes: 12 });
  });
});

describe('bad HTTP input', () => {
  async function startApi() {
    const { request, cleared } = await startLocalApi({ bodyLimitBytes: 1024 });
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const response = await request('/api/v1/quarantine/clear', { method: 'POST', body, headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...headers } });
      return { status: response.status, body: JSON.parse(response.text) as { code: string; message: string } };
    };
    return { post, cleared };
  }

  it.each([
    { name: 'malformed JSON', body: '{"deviceId": ', headers: {}, status: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' },
    { name: 'a body that breaks the schema', body: '{"deviceId": "x", "all": true}', headers: {}, status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'a device id with a slash', body: '{"deviceId": "a/b"}', headers: {}, status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'an oversize body', body: JSON.stringify({ deviceId: 'x'.repeat(2000) }), headers: {}, status: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' },
    { name: 'a body that is not JSON', body: 'deviceId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' },
    { name: 'a read-only key on an admin route', body: '{}', headers: { authorization: `Bearer ${READ_KEY}` }, status: 403, code: 'CPL_ERR_API_FORBIDDEN' },
    { name: 'no key', body: '{}', headers: { authorization: '' }, status: 401, code: 'CPL_ERR_API_UNAUTHENTICATED' },
  ])('refuses $name with $status and a code, no stack, and does nothing', async ({ body, headers, status, code }) => {
    const { post, cleared } = await startApi();
    const answer = await post(body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
    expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(cleared).toEqual([]);
    expect(await post('{"deviceId": "dev-a"}')).toEqual({ status: 200, body: { cleared: 0 } });
    expect(cleared).toEqual(['dev-a']);
  });
});
