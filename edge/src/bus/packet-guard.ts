import { isUtf8 } from 'node:buffer';

/**
 * A framing guard in front of aedes: it follows the MQTT 3.1.1 packet boundaries of one
 * connection and refuses what the specification forbids and aedes 1.2 / mqtt-packet 9 let
 * through (ill-formed UTF-8, U+0000, packet identifier 0, oversize packets), plus the fixed
 * header rules mqtt-packet also checks, so every refusal is counted with its reason here.
 * Pure: it returns a verdict and its owner closes the connection ([MQTT-4.8.0-1]: on a protocol
 * violation the Server MUST close the Network Connection).
 */

export type GuardRefusal = 'packet_too_large' | 'malformed_packet';
export interface GuardViolation {
  reason: GuardRefusal;
  /** The rule broken, with its MQTT 3.1.1 statement number where the spec numbers it. */
  rule: string;
}

const CONNECT = 1;
const PUBLISH = 3;
const PUBREL = 6;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;
const EMPTY = Buffer.alloc(0);
const HASH = 0x23;
const PLUS = 0x2b;

function violation(rule: string): GuardViolation {
  return { reason: 'malformed_packet', rule };
}

interface FixedHeader {
  type: number;
  flags: number;
  headerBytes: number;
  remaining: number;
}

/** Reads a fixed header at `pos`; undefined when more bytes are needed. */
function readFixedHeader(buf: Buffer, pos: number): FixedHeader | GuardViolation | undefined {
  if (pos >= buf.length) return undefined;
  const first = buf[pos] ?? 0;
  const type = first >> 4;
  const flags = first & 0x0f;
  // Table 2.1: packet types 0 and 15 are reserved (forbidden).
  if (type === 0 || type === 15) return violation(`reserved packet type ${type} (MQTT 3.1.1 §2.2.1)`);
  // [MQTT-2.2.2-1] reserved flag bits must have the value of Table 2.2; [MQTT-2.2.2-2] else close.
  const expectedFlags = type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? 0b0010 : 0;
  if (type !== PUBLISH && flags !== expectedFlags) return violation(`reserved flags ${flags.toString(2).padStart(4, '0')} on packet type ${type} [MQTT-2.2.2-2]`);
  // [MQTT-3.3.1-4] a PUBLISH must not have both QoS bits set.
  if (type === PUBLISH && ((flags >> 1) & 0b11) === 0b11) return violation('PUBLISH with QoS 3 [MQTT-3.3.1-4]');
  let remaining = 0;
  for (let i = 0; i < 4; i++) {
    const at = pos + 1 + i;
    if (at >= buf.length) return undefined;
    const byte = buf[at] ?? 0;
    remaining += (byte & 0x7f) * 128 ** i;
    if ((byte & 0x80) === 0) return { type, flags, headerBytes: 2 + i, remaining };
  }
  // §2.2.3: the Remaining Length is at most four bytes.
  return violation('remaining length longer than four bytes (MQTT 3.1.1 §2.2.3)');
}

/**
 * A length-prefixed UTF-8 string at `pos` of `body`, checked per [MQTT-1.5.3-1] and
 * [MQTT-1.5.3-2]; its bytes, not decoded: the hot path (every PUBLISH topic) allocates no string.
 */
function readString(body: Buffer, pos: number, what: string): { bytes: Buffer; end: number } | GuardViolation {
  if (pos + 2 > body.length) return violation(`${what} runs past the end of the packet`);
  const end = pos + 2 + body.readUInt16BE(pos);
  if (end > body.length) return violation(`${what} runs past the end of the packet`);
  const bytes = body.subarray(pos + 2, end);
  let isAscii = true;
  let hasNul = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x80) isAscii = false;
    // In well-formed UTF-8 a 0x00 byte is U+0000 and nothing else.
    else if (byte === 0) hasNul = true;
  }
  // isUtf8 (simdutf) refuses what a fatal UTF-8 decoder refuses: surrogates, overlong forms, > U+10FFFF.
  if (!isAscii && !isUtf8(bytes)) return violation(`${what} is not well-formed UTF-8 [MQTT-1.5.3-1]`);
  if (hasNul) return violation(`${what} contains U+0000 [MQTT-1.5.3-2]`);
  return { bytes, end };
}

/** '#' or '+' in a topic name; both are ASCII, so a byte search finds them in UTF-8. */
function hasWildcard(bytes: Buffer): boolean {
  return bytes.includes(HASH) || bytes.includes(PLUS);
}

function isViolation(value: unknown): value is GuardViolation {
  return typeof value === 'object' && value !== null && 'rule' in value;
}

function checkPublishHead(flags: number, body: Buffer): GuardViolation | undefined {
  const topic = readString(body, 0, 'PUBLISH topic');
  if (isViolation(topic)) return topic;
  // [MQTT-4.7.3-1] topic names are at least one character; [MQTT-3.3.2-2] no wildcards.
  if (topic.bytes.length === 0) return violation('PUBLISH with an empty topic [MQTT-4.7.3-1]');
  if (hasWildcard(topic.bytes)) return violation('PUBLISH topic contains a wildcard [MQTT-3.3.2-2]');
  const qos = (flags >> 1) & 0b11;
  if (qos > 0 && body.readUInt16BE(topic.end) === 0) return violation('PUBLISH QoS > 0 with packet identifier 0 [MQTT-2.3.1-1]');
  return undefined;
}

function checkFilters(type: number, body: Buffer): GuardViolation | undefined {
  const name = type === SUBSCRIBE ? 'SUBSCRIBE' : 'UNSUBSCRIBE';
  if (body.length < 2 || body.readUInt16BE(0) === 0) return violation(`${name} with packet identifier 0 [MQTT-2.3.1-1]`);
  let pos = 2;
  let count = 0;
  while (pos < body.length) {
    const filter = readString(body, pos, `${name} topic filter`);
    if (isViolation(filter)) return filter;
    if (filter.bytes.length === 0) return violation(`${name} with an empty topic filter [MQTT-4.7.3-1]`);
    pos = filter.end;
    if (type === SUBSCRIBE) {
      // [MQTT-3-8.3-4] the upper six bits of the requested QoS byte are reserved, and QoS 3 is malformed.
      const options = body[pos];
      if (options === undefined || options > 2) return violation('SUBSCRIBE requested QoS byte is malformed [MQTT-3-8.3-4]');
      pos += 1;
    }
    count += 1;
  }
  // [MQTT-3.8.3-3] / [MQTT-3.10.3-2]: at least one topic filter.
  if (count === 0) return violation(`${name} without a topic filter [${type === SUBSCRIBE ? 'MQTT-3.8.3-3' : 'MQTT-3.10.3-2'}]`);
  return undefined;
}

function checkConnect(body: Buffer): GuardViolation | undefined {
  const protocol = readString(body, 0, 'CONNECT protocol name');
  if (isViolation(protocol)) return protocol;
  const level = body[protocol.end];
  const connectFlags = body[protocol.end + 1];
  if (level === undefined || connectFlags === undefined) return violation('CONNECT variable header runs past the end of the packet');
  // Other levels (MQTT 5 is 5) go on to aedes, which answers CONNACK 0x01 and closes [MQTT-3.1.2-2].
  if (level !== 3 && level !== 4) return undefined;
  // [MQTT-3.1.2-3] the reserved connect flag must be 0.
  if ((connectFlags & 0x01) !== 0) return violation('CONNECT reserved flag set [MQTT-3.1.2-3]');
  const clientId = readString(body, protocol.end + 4, 'CONNECT client identifier'); // [MQTT-3.1.3-4]
  if (isViolation(clientId)) return clientId;
  let pos = clientId.end;
  if ((connectFlags & 0x04) !== 0) {
    const willTopic = readString(body, pos, 'CONNECT will topic'); // [MQTT-3.1.3-10]
    if (isViolation(willTopic)) return willTopic;
    if (willTopic.bytes.length === 0 || hasWildcard(willTopic.bytes)) return violation('CONNECT will topic is empty or has a wildcard [MQTT-3.3.2-2]');
    if (willTopic.end + 2 > body.length) return violation('CONNECT will message runs past the end of the packet');
    pos = willTopic.end + 2 + body.readUInt16BE(willTopic.end);
  }
  if ((connectFlags & 0x80) !== 0) {
    const username = readString(body, pos, 'CONNECT user name'); // [MQTT-3.1.3-11]
    if (isViolation(username)) return username;
  }
  return undefined;
}

/** Follows one connection's byte stream; `feed` every chunk before aedes sees it. */
export class MqttPacketGuard {
  private pending: Buffer = EMPTY;
  /** Bytes of the current packet still to pass through without inspection. */
  private skip = 0;

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Buffer): GuardViolation | undefined {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    let pos = 0;
    while (pos < buf.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const header = readFixedHeader(buf, pos);
      if (header === undefined) {
        this.pending = buf.subarray(pos);
        return undefined;
      }
      if (isViolation(header)) return header;
      const total = header.headerBytes + header.remaining;
      if (total > this.maxPacketBytes) return { reason: 'packet_too_large', rule: `packet of ${total} bytes is larger than ${this.maxPacketBytes} (bus.limits.maxPacketBytes)` };
      const needed = this.bytesToInspect(header, buf, pos);
      if (needed === undefined || buf.length - pos < needed) {
        this.pending = buf.subarray(pos);
        return undefined;
      }
      if (needed > 0) {
        const found = this.inspect(header, buf.subarray(pos + header.headerBytes, pos + needed));
        if (found) return found;
      }
      this.skip = total - Math.max(needed, 0);
      pos += Math.max(needed, 0);
    }
    return undefined;
  }

  /** How many bytes of this packet (from its first byte) the checks need; 0 for none. */
  private bytesToInspect(header: FixedHeader, buf: Buffer, pos: number): number | undefined {
    const total = header.headerBytes + header.remaining;
    switch (header.type) {
      case CONNECT:
      case SUBSCRIBE:
      case UNSUBSCRIBE:
        return total;
      case PUBLISH: {
        const at = pos + header.headerBytes;
        if (header.remaining < 2) return total;
        if (at + 2 > buf.length) return undefined;
        const qos = (header.flags >> 1) & 0b11;
        // Only the topic and packet identifier: the payload passes through unbuffered.
        return Math.min(total, header.headerBytes + 2 + buf.readUInt16BE(at) + (qos > 0 ? 2 : 0));
      }
      default:
        return 0;
    }
  }

  private inspect(header: FixedHeader, body: Buffer): GuardViolation | undefined {
    switch (header.type) {
      case CONNECT:
        return checkConnect(body);
      case PUBLISH: {
        const qos = (header.flags >> 1) & 0b11;
        if (body.length < 2 + (body.length >= 2 ? body.readUInt16BE(0) : 0) + (qos > 0 ? 2 : 0)) return violation('PUBLISH variable header runs past the end of the packet');
        return checkPublishHead(header.flags, body);
      }
      case SUBSCRIBE:
      case UNSUBSCRIBE:
        return checkFilters(header.type, body);
      default:
        return undefined;
    }
  }
}
