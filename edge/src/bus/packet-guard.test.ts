import fc from 'fast-check';
import { generate, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MqttPacketGuard, type GuardViolation } from './packet-guard.js';

/** Cases per property here; `npm run fuzz` raises it (COUPLER_FUZZ_RUNS). */
const FUZZ_RUNS = Number(process.env.COUPLER_FUZZ_RUNS ?? 200);
/** MQTT 3.1.1 §2.2.3: the largest Remaining Length, plus its five header bytes. */
const NO_SIZE_LIMIT = 268_435_460;

/** A UTF-8 string MQTT 3.1.1 allows ([MQTT-1.5.3-1], [MQTT-1.5.3-2]: no surrogates, no U+0000). */
const mqttString = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength }).filter((s) => !s.includes('\u0000'));
const topicName = mqttString(1, 24).filter((s) => !/[#+]/.test(s));
const topicLevel = mqttString(0, 8).filter((s) => !/[#+/]/.test(s));
/** A filter whose wildcards stand alone in their level, '#' only last (MQTT 3.1.1 §4.7.1). */
const topicFilter = fc
  .tuple(fc.array(fc.oneof(fc.constant('+'), topicLevel), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([levels, isMulti]) => (isMulti ? [...levels, '#'] : levels).join('/'))
  .filter((filter) => filter.length > 0);
const qos = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
const packetId = fc.integer({ min: 1, max: 65_535 });
const payload = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));

const connect: fc.Arbitrary<Packet> = fc
  .record({
    version: fc.constantFrom(3, 4),
    clean: fc.boolean(),
    clientId: mqttString(0, 23),
    keepalive: fc.integer({ min: 0, max: 65_535 }),
    will: fc.option(fc.record({ topic: topicName, payload, qos, retain: fc.boolean() }), { nil: undefined }),
    username: fc.option(mqttString(0, 16), { nil: undefined }),
    password: fc.option(payload, { nil: undefined }),
  })
  // An empty client id only with a clean session and 3.1.1 ([MQTT-3.1.3-7], 3.1 needs one).
  .filter(({ version, clean, clientId }) => clientId.length > 0 || (version === 4 && clean))
  .map(({ version, username, password, will, ...rest }) => ({
    cmd: 'connect',
    protocolId: version === 4 ? 'MQTT' : 'MQIsdp',
    protocolVersion: version,
    ...rest,
    ...(will ? { will } : {}),
    // [MQTT-3.1.2-22]: a password only with a user name.
    ...(username === undefined ? {} : { username, ...(password ? { password } : {}) }),
  }));
const publish: fc.Arbitrary<Packet> = fc.record({ topic: topicName, payload, qos, retain: fc.boolean(), dup: fc.boolean(), messageId: packetId }).map(({ qos: level, dup, messageId, ...rest }) => ({
  cmd: 'publish',
  qos: level,
  // [MQTT-3.3.1-2]: DUP 0 on QoS 0, which carries no packet identifier.
  dup: level > 0 && dup,
  ...(level > 0 ? { messageId } : {}),
  ...rest,
}));
/** Topics longer than the bytes the guard joins at once when a PUBLISH head straddles two chunks. */
const longPublish: fc.Arbitrary<Packet> = fc.record({ topic: mqttString(100, 400).filter((s) => !/[#+]/.test(s)), payload, messageId: packetId }).map((p) => ({ cmd: 'publish', qos: 1, retain: false, dup: false, ...p }));
const acknowledgement: fc.Arbitrary<Packet> = fc.record({ cmd: fc.constantFrom('puback', 'pubrec', 'pubrel', 'pubcomp'), messageId: packetId });
const subscribe: fc.Arbitrary<Packet> = fc.record({ messageId: packetId, subscriptions: fc.array(fc.record({ topic: topicFilter, qos }), { minLength: 1, maxLength: 4 }) }).map((p) => ({ cmd: 'subscribe', ...p }));
const unsubscribe: fc.Arbitrary<Packet> = fc.record({ messageId: packetId, unsubscriptions: fc.array(topicFilter, { minLength: 1, maxLength: 4 }) }).map((p) => ({ cmd: 'unsubscribe', ...p }));
const bare: fc.Arbitrary<Packet> = fc.constantFrom('pingreq', 'disconnect').map((cmd) => ({ cmd }));
/** Packets a client sends, written by mqtt-packet (the encoder of mqtt.js and aedes). */
const clientPacket = fc.oneof(connect, publish, longPublish, acknowledgement, subscribe, unsubscribe, bare);
const clientPackets = fc.array(clientPacket, { minLength: 1, maxLength: 8 }).map((packets) => packets.map((p) => generate(p)));
const cuts = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 16 });

/** Feeds `wire` in pieces of the sizes in `sizes` (repeated), up to the first violation. */
function verdict(guard: MqttPacketGuard, wire: Buffer, sizes: number[]): GuardViolation | undefined {
  for (let at = 0, i = 0; at < wire.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    const found = guard.feed(wire.subarray(at, at + size));
    if (found) return found;
    at += size;
  }
  return undefined;
}

function expectWellFormedVerdict(found: GuardViolation | undefined): void {
  if (!found) return;
  expect(['malformed_packet', 'packet_too_large']).toContain(found.reason);
  expect(found.rule.length).toBeGreaterThan(0);
}

describe('MqttPacketGuard (properties)', () => {
  it('passes every packet stream mqtt-packet writes, however the stream is split', () => {
    fc.assert(
      fc.property(clientPackets, cuts, (packets, sizes) => {
        expect(verdict(new MqttPacketGuard(NO_SIZE_LIMIT), Buffer.concat(packets), sizes)).toBeUndefined();
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('refuses a valid stream as too large exactly when one of its packets is over the limit', () => {
    fc.assert(
      fc.property(clientPackets, cuts, fc.integer({ min: 2, max: 200 }), (packets, sizes, limit) => {
        const found = verdict(new MqttPacketGuard(limit), Buffer.concat(packets), sizes);
        if (packets.some((p) => p.length > limit)) expect(found?.reason).toBe('packet_too_large');
        else expect(found).toBeUndefined();
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on arbitrary bytes, and its verdict does not depend on how they are split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), cuts, fc.integer({ min: 2, max: 1024 }), (bytes, sizes, limit) => {
        const wire = Buffer.from(bytes);
        const whole = verdict(new MqttPacketGuard(limit), wire, [wire.length || 1]);
        expectWellFormedVerdict(whole);
        expect(verdict(new MqttPacketGuard(limit), wire, sizes)).toEqual(whole);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on a valid stream with one byte changed, and its verdict does not depend on the split', () => {
    fc.assert(
      fc.property(clientPackets, fc.nat(), fc.integer({ min: 0, max: 255 }), cuts, (packets, position, byte, sizes) => {
        const wire = Buffer.concat(packets);
        wire[position % wire.length] = byte;
        const whole = verdict(new MqttPacketGuard(NO_SIZE_LIMIT), wire, [wire.length]);
        expectWellFormedVerdict(whole);
        expect(verdict(new MqttPacketGuard(NO_SIZE_LIMIT), wire, sizes)).toEqual(whole);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('refuses a PUBLISH topic exactly when MQTT 3.1.1 forbids it (ill-formed UTF-8, U+0000, wildcard, empty)', () => {
    const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const topicBytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => Uint8Array.from(Buffer.from(s, 'utf8'))),
      // A surrogate, overlong NUL, beyond U+10FFFF, a BOM (allowed), a truncated sequence, in ASCII.
      fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('eda080', 'c080', 'f4908080', 'efbbbf', 'c328', 'e282'), fc.string({ maxLength: 6 })).map(([a, hex, b]) => Uint8Array.from(Buffer.concat([Buffer.from(a), Buffer.from(hex, 'hex'), Buffer.from(b)]))),
    );
    fc.assert(
      fc.property(topicBytes, qos, (bytes, level) => {
        const topic = Buffer.from(bytes);
        const wire = publishWithTopicBytes(topic, level);
        let decoded: string | undefined;
        try {
          decoded = strictUtf8.decode(topic);
        } catch {
          decoded = undefined;
        }
        const isForbidden = decoded === undefined || decoded.length === 0 || decoded.includes('\u0000') || /[#+]/.test(decoded);
        expect(verdict(new MqttPacketGuard(NO_SIZE_LIMIT), wire, [wire.length])?.reason).toBe(isForbidden ? 'malformed_packet' : undefined);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

/** A PUBLISH whose topic is any bytes, under 128 bytes in all (mqtt-packet would encode a string). */
function publishWithTopicBytes(topic: Buffer, level: 0 | 1 | 2): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(topic.length);
  const body = Buffer.concat([length, topic, level > 0 ? Buffer.from([0, 1]) : Buffer.alloc(0), Buffer.from('{}')]);
  return Buffer.concat([Buffer.from([0x30 | (level << 1), body.length]), body]);
}
