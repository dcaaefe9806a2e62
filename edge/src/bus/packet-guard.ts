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

/** What the bytes of an MQTT string hold, as bits: found by one pass, without decoding them. */
const NON_ASCII = 1;
const NUL = 2;
const WILDCARD = 4;

/**
 * One pass over `buf[from, to)`. In well-formed UTF-8 a 0x00 byte is U+0000 and nothing else,
 * and '#' and '+' are ASCII, so byte tests find them.
 */
function scanBytes(buf: Buffer, from: number, to: number): number {
  let marks = 0;
  for (let i = from; i < to; i++) {
    const byte = buf[i] ?? 0;
    if (byte >= 0x80) marks |= NON_ASCII;
    else if (byte === 0) marks |= NUL;
    else if (byte === HASH || byte === PLUS) marks |= WILDCARD;
  }
  return marks;
}

/** [MQTT-1.5.3-1] and [MQTT-1.5.3-2] for the string at `buf[from, to)` that scanBytes marked. */
function stringProblem(buf: Buffer, from: number, to: number, marks: number, what: string): GuardViolation | undefined {
  // isUtf8 (simdutf) refuses what a fatal UTF-8 decoder refuses: surrogates, overlong forms, > U+10FFFF.
  if ((marks & NON_ASCII) !== 0 && !isUtf8(buf.subarray(from, to))) return violation(`${what} is not well-formed UTF-8 [MQTT-1.5.3-1]`);
  if ((marks & NUL) !== 0) return violation(`${what} contains U+0000 [MQTT-1.5.3-2]`);
  return undefined;
}

/** A length-prefixed UTF-8 string at `pos` of `body` (CONNECT, SUBSCRIBE, UNSUBSCRIBE), checked. */
function readString(body: Buffer, pos: number, what: string): { length: number; marks: number; end: number } | GuardViolation {
  if (pos + 2 > body.length) return violation(`${what} runs past the end of the packet`);
  const end = pos + 2 + body.readUInt16BE(pos);
  if (end > body.length) return violation(`${what} runs past the end of the packet`);
  const marks = scanBytes(body, pos + 2, end);
  return stringProblem(body, pos + 2, end, marks, what) ?? { length: end - pos - 2, marks, end };
}

function isViolation(value: unknown): value is GuardViolation {
  return typeof value === 'object' && value !== null && 'rule' in value;
}

/**
 * The topic and packet identifier of a PUBLISH whose body starts at `bodyAt` and is `remaining`
 * bytes long; the caller has every byte of its variable header. Read in place: the hot path
 * (every PUBLISH) allocates nothing unless the topic is not ASCII.
 */
function checkPublishHead(buf: Buffer, bodyAt: number, remaining: number, qos: number): GuardViolation | undefined {
  const length = remaining < 2 ? -1 : buf.readUInt16BE(bodyAt);
  if (length < 0 || remaining < 2 + length + (qos > 0 ? 2 : 0)) return violation('PUBLISH variable header runs past the end of the packet');
  const from = bodyAt + 2;
  const to = from + length;
  const marks = scanBytes(buf, from, to);
  const problem = stringProblem(buf, from, to, marks, 'PUBLISH topic');
  if (problem) return problem;
  // [MQTT-4.7.3-1] topic names are at least one character; [MQTT-3.3.2-2] no wildcards.
  if (length === 0) return violation('PUBLISH with an empty topic [MQTT-4.7.3-1]');
  if ((marks & WILDCARD) !== 0) return violation('PUBLISH topic contains a wildcard [MQTT-3.3.2-2]');
  if (qos > 0 && buf.readUInt16BE(to) === 0) return violation('PUBLISH QoS > 0 with packet identifier 0 [MQTT-2.3.1-1]');
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
    if (filter.length === 0) return violation(`${name} with an empty topic filter [MQTT-4.7.3-1]`);
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
    if (willTopic.length === 0 || (willTopic.marks & WILDCARD) !== 0) return violation('CONNECT will topic is empty or has a wildcard [MQTT-3.3.2-2]');
    if (willTopic.end + 2 > body.length) return violation('CONNECT will message runs past the end of the packet');
    pos = willTopic.end + 2 + body.readUInt16BE(willTopic.end);
  }
  if ((connectFlags & 0x80) !== 0) {
    const username = readString(body, pos, 'CONNECT user name'); // [MQTT-3.1.3-11]
    if (isViolation(username)) return username;
  }
  return undefined;
}

/** Bytes of a pending packet's start joined at once beyond what its next check needs. */
const JOIN_AHEAD = 128;

/**
 * Follows one connection's byte stream; `feed` every chunk before aedes sees it. A state
 * machine over the chunk as it is: only when a packet's checked bytes (its fixed header, a
 * PUBLISH topic and packet identifier, a whole CONNECT or SUBSCRIBE) straddle two chunks are
 * those few bytes copied; payloads pass through untouched.
 */
export class MqttPacketGuard {
  /** The start of a packet whose checked bytes have not all arrived. */
  private pending: Buffer = EMPTY;
  /** How many bytes from the pending packet's first byte its next check needs (at least). */
  private pendingNeed = 0;
  /** Bytes of the current packet still to pass through without inspection. */
  private skip = 0;

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Buffer): GuardViolation | undefined {
    let rest = chunk;
    while (this.pending.length > 0) {
      if (rest.length === 0) return undefined;
      const take = Math.min(rest.length, Math.max(this.pendingNeed - this.pending.length, JOIN_AHEAD));
      const joined = Buffer.concat([this.pending, rest.subarray(0, take)]);
      this.pending = EMPTY;
      const found = this.scan(joined);
      if (found) return found;
      rest = rest.subarray(take);
    }
    return rest.length > 0 ? this.scan(rest) : undefined;
  }

  /** Checks the packets in `buf`; keeps the start of one it cannot finish checking as pending. */
  private scan(buf: Buffer): GuardViolation | undefined {
    const end = buf.length;
    let pos = 0;
    while (pos < end) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      const first = buf[pos] ?? 0;
      const type = first >> 4;
      const flags = first & 0x0f;
      // Table 2.1: packet types 0 and 15 are reserved (forbidden).
      if (type === 0 || type === 15) return violation(`reserved packet type ${type} (MQTT 3.1.1 §2.2.1)`);
      // [MQTT-2.2.2-1] reserved flag bits must have the value of Table 2.2; [MQTT-2.2.2-2] else close.
      const expectedFlags = type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? 0b0010 : 0;
      if (type !== PUBLISH && flags !== expectedFlags) return violation(`reserved flags ${flags.toString(2).padStart(4, '0')} on packet type ${type} [MQTT-2.2.2-2]`);
      const qos = (flags >> 1) & 0b11;
      // [MQTT-3.3.1-4] a PUBLISH must not have both QoS bits set.
      if (type === PUBLISH && qos === 0b11) return violation('PUBLISH with QoS 3 [MQTT-3.3.1-4]');
      let remaining = 0;
      let headerBytes = 0;
      for (let i = 0, multiplier = 1; i < 4; i++, multiplier *= 128) {
        const at = pos + 1 + i;
        if (at >= end) { this.wait(buf, pos, at - pos + 1); return undefined; }
        const byte = buf[at] ?? 0;
        remaining += (byte & 0x7f) * multiplier;
        if ((byte & 0x80) === 0) {
          headerBytes = 2 + i;
          break;
        }
      }
      // §2.2.3: the Remaining Length is at most four bytes.
      if (headerBytes === 0) return violation('remaining length longer than four bytes (MQTT 3.1.1 §2.2.3)');
      const total = headerBytes + remaining;
      if (total > this.maxPacketBytes) return { reason: 'packet_too_large', rule: `packet of ${total} bytes is larger than ${this.maxPacketBytes} (bus.limits.maxPacketBytes)` };
      const bodyAt = pos + headerBytes;
      // How many bytes of this packet, from its first, the checks read.
      let checked = 0;
      if (type === PUBLISH) {
        if (remaining >= 2 && bodyAt + 2 > end) { this.wait(buf, pos, headerBytes + 2); return undefined; }
        // Only the topic and packet identifier: the payload passes through unbuffered.
        checked = remaining < 2 ? total : Math.min(total, headerBytes + 2 + buf.readUInt16BE(bodyAt) + (qos > 0 ? 2 : 0));
        if (end - pos < checked) { this.wait(buf, pos, checked); return undefined; }
        const found = checkPublishHead(buf, bodyAt, remaining, qos);
        if (found) return found;
      } else if (type === CONNECT || type === SUBSCRIBE || type === UNSUBSCRIBE) {
        checked = total;
        if (end - pos < checked) { this.wait(buf, pos, checked); return undefined; }
        const body = buf.subarray(bodyAt, pos + total);
        const found = type === CONNECT ? checkConnect(body) : checkFilters(type, body);
        if (found) return found;
      }
      this.skip = total - checked;
      pos += checked;
    }
    return undefined;
  }

  /** Keeps `buf` from `pos` until `need` bytes of that packet are here. */
  private wait(buf: Buffer, pos: number, need: number): void {
    this.pending = buf.subarray(pos);
    this.pendingNeed = need;
  }
}
