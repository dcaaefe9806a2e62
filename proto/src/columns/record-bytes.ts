/**
 * Reads the fields of a coupler.sync.v1.Record straight from its protobuf bytes (the edge buffer
 * holds records so, decision 0006), without protobufjs' objects. Only what the columnar
 * encoding can carry is accepted: anything else (a field this version does not know, a
 * sequence or timestamp of 2^50 or more, an enum number outside the .proto's) answers
 * undefined, and the batch goes as plain records.
 */
export interface RecordFields {
  sequence: number;
  deviceId: string;
  timestampMs: number;
  lane: number;
  quality: number;
  names: string[];
  units: string[];
  values: number[];
}

/** Sequences and timestamps up to here keep their deltas of deltas exact in float64 (zigzag < 2^53). */
export const MAX_CARRIED_INTEGER = 2 ** 50;
/** Lane and Quality in sync.proto both number 0..3. */
export const MAX_ENUM_NUMBER = 3;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;

class Cursor {
  at: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.at = start;
  }

  /** A varint as a number; NaN when it is malformed or runs past the end. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && this.at < this.end; i++) {
      const byte = this.bytes[this.at++] ?? 0;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    return Number.NaN;
  }

  /** [start, end) of a length-delimited field's content, or undefined past the end. */
  span(): [number, number] | undefined {
    const length = this.varint();
    if (!(length <= this.end - this.at)) return undefined;
    const start = this.at;
    this.at += length;
    return [start, this.at];
  }
}

function readValue(cursor: Cursor, fields: RecordFields): boolean {
  const span = cursor.span();
  if (!span) return false;
  const inner = new Cursor(cursor.bytes, span[0], span[1]);
  let name = '';
  let unit = '';
  let value = 0;
  while (inner.at < inner.end) {
    const tag = inner.varint();
    if (tag === 0x0a || tag === 0x1a) {
      const text = inner.span();
      if (!text) return false;
      const decoded = inner.bytes.toString('utf8', text[0], text[1]);
      if (tag === 0x0a) name = decoded;
      else unit = decoded;
    } else if (tag === ((2 << 3) | WIRE_FIXED64) && inner.at + 8 <= inner.end) {
      value = inner.bytes.readDoubleLE(inner.at);
      inner.at += 8;
    } else {
      return false;
    }
  }
  fields.names.push(name);
  fields.units.push(unit);
  fields.values.push(value);
  return true;
}

function smallInteger(value: number, limit: number): number | undefined {
  return value >= 0 && value <= limit ? value : undefined;
}

export function readRecordFields(record: Uint8Array): RecordFields | undefined {
  const bytes = Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const cursor = new Cursor(bytes, 0, bytes.length);
  const fields: RecordFields = { sequence: 0, deviceId: '', timestampMs: 0, lane: 0, quality: 0, names: [], units: [], values: [] };
  while (cursor.at < cursor.end) {
    const tag = cursor.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === WIRE_VARINT && field >= 1 && field <= 5 && field !== 2) {
      const number = smallInteger(cursor.varint(), field <= 3 ? MAX_CARRIED_INTEGER - 1 : MAX_ENUM_NUMBER);
      if (number === undefined) return undefined;
      if (field === 1) fields.sequence = number;
      else if (field === 3) fields.timestampMs = number;
      else if (field === 4) fields.lane = number;
      else fields.quality = number;
    } else if (wireType === WIRE_LENGTH_DELIMITED && field === 2) {
      const span = cursor.span();
      if (!span) return undefined;
      fields.deviceId = bytes.toString('utf8', span[0], span[1]);
    } else if (wireType === WIRE_LENGTH_DELIMITED && field === 6) {
      if (!readValue(cursor, fields)) return undefined;
    } else {
      return undefined;
    }
  }
  return fields;
}
