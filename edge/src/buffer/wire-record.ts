import { decodeWireRecord, encodeWireRecord, type WireRecord } from '@coupler/proto';
import type { Lane, Quality, Reading, SequencedRecord } from '../records/index.js';

const WIRE_LANE = { bulk: 'LANE_BULK', alarm: 'LANE_ALARM', billing: 'LANE_BILLING' } as const satisfies Record<Lane, string>;
const WIRE_QUALITY = { good: 'QUALITY_GOOD', uncertain: 'QUALITY_UNCERTAIN', bad: 'QUALITY_BAD' } as const satisfies Record<Quality, string>;
const LANE_OF = { LANE_BULK: 'bulk', LANE_ALARM: 'alarm', LANE_BILLING: 'billing' } as const;
const QUALITY_OF = { QUALITY_GOOD: 'good', QUALITY_UNCERTAIN: 'uncertain', QUALITY_BAD: 'bad' } as const;

// coupler.sync.v1 enum numbers and Record/Value field tags (sync.proto): tag = field << 3 | wire type.
const LANE_NUMBER = { bulk: 1, alarm: 2, billing: 3 } as const satisfies Record<Lane, number>;
const QUALITY_NUMBER = { good: 1, uncertain: 2, bad: 3 } as const satisfies Record<Quality, number>;
const TAG_SEQUENCE = 0x08;
const TAG_DEVICE_ID = 0x12;
const TAG_TIMESTAMP = 0x18;
const TAG_LANE = 0x20;
const TAG_QUALITY = 0x28;
const TAG_VALUES = 0x32;
const TAG_VALUE_NAME = 0x0a;
const TAG_VALUE_VALUE = 0x11;
const TAG_VALUE_UNIT = 0x1a;
/** A string of fewer UTF-16 units than this is under 128 UTF-8 bytes: its length prefix is one byte. */
const SHORT_STRING = 42;

/** Grows when a record does not fit; records are encoded one at a time on the main thread. */
let scratch = Buffer.allocUnsafe(4096);

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

function writeVarint(buf: Buffer, pos: number, value: number): number {
  let at = pos;
  let rest = value;
  while (rest >= 0x80) {
    buf[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buf[at++] = rest;
  return at;
}

function writeString(buf: Buffer, pos: number, text: string): number {
  if (text.length < SHORT_STRING) {
    const length = buf.write(text, pos + 1, 'utf8');
    buf[pos] = length;
    return pos + 1 + length;
  }
  const length = Buffer.byteLength(text, 'utf8');
  const at = writeVarint(buf, pos, length);
  return at + buf.write(text, at, 'utf8');
}

/** An upper bound of the encoded size: every string at 3 UTF-8 bytes per UTF-16 unit. */
function maxEncodedLength(record: Reading): number {
  let length = 64 + 3 * record.deviceId.length;
  for (const { name, unit } of record.values) length += 32 + 3 * (name.length + unit.length);
  return length;
}

function isPlainVarint(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * A record as the sync stream carries it (coupler.sync.v1.Record), encoded once at ingest.
 * Written by hand, byte for byte what protobufjs writes (wire-record.test.ts holds them equal):
 * protobufjs' writer builds a list of operations and several objects per field, the largest
 * share of the ingest path's garbage. Numbers a varint cannot hold as they are (a negative or
 * unsafe timestamp) go through protobufjs.
 */
export function encodeRecord(record: SequencedRecord): Buffer {
  if (!isPlainVarint(record.sequence) || !isPlainVarint(record.timestampMs)) return Buffer.from(encodeWireRecordSlowly(record));
  const bound = maxEncodedLength(record);
  if (scratch.length < bound) scratch = Buffer.allocUnsafe(bound * 2);
  const buf = scratch;
  let pos = 0;
  buf[pos++] = TAG_SEQUENCE;
  pos = writeVarint(buf, pos, record.sequence);
  buf[pos++] = TAG_DEVICE_ID;
  pos = writeString(buf, pos, record.deviceId);
  buf[pos++] = TAG_TIMESTAMP;
  pos = writeVarint(buf, pos, record.timestampMs);
  buf[pos++] = TAG_LANE;
  buf[pos++] = LANE_NUMBER[record.lane];
  buf[pos++] = TAG_QUALITY;
  buf[pos++] = QUALITY_NUMBER[record.quality];
  for (const { name, value, unit } of record.values) {
    buf[pos++] = TAG_VALUES;
    // The Value's length is known only once it is written: room for a 1-byte prefix, moved over if longer.
    const lengthAt = pos;
    pos += 1;
    const valueStart = pos;
    buf[pos++] = TAG_VALUE_NAME;
    pos = writeString(buf, pos, name);
    buf[pos++] = TAG_VALUE_VALUE;
    pos = buf.writeDoubleLE(value, pos);
    buf[pos++] = TAG_VALUE_UNIT;
    pos = writeString(buf, pos, unit);
    const valueLength = pos - valueStart;
    const prefixLength = varintLength(valueLength);
    if (prefixLength !== 1) {
      buf.copyWithin(lengthAt + prefixLength, valueStart, pos);
      pos += prefixLength - 1;
    }
    writeVarint(buf, lengthAt, valueLength);
  }
  const out = Buffer.allocUnsafe(pos);
  buf.copy(out, 0, 0, pos);
  return out;
}

/** The same encoding through protobufjs: the reference the hand-written one is held to. */
export function encodeWireRecordSlowly(record: SequencedRecord): Uint8Array {
  const wire: WireRecord = {
    sequence: record.sequence,
    deviceId: record.deviceId,
    timestampMs: record.timestampMs,
    lane: WIRE_LANE[record.lane],
    quality: WIRE_QUALITY[record.quality],
    values: record.values,
  };
  return encodeWireRecord(wire);
}

export function decodeRecord(bytes: Uint8Array): SequencedRecord {
  const wire = decodeWireRecord(bytes);
  return {
    sequence: wire.sequence,
    deviceId: wire.deviceId,
    timestampMs: wire.timestampMs,
    lane: LANE_OF[wire.lane as keyof typeof LANE_OF],
    quality: QUALITY_OF[wire.quality as keyof typeof QUALITY_OF],
    values: wire.values.map(({ name, value, unit }) => ({ name, value, unit })),
  };
}
