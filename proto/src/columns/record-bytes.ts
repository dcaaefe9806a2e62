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

/** A read position in protobuf bytes, bounded by `end`. */
export class ProtoCursor {
  at: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
    public end: number,
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

/**
 * The strings of the last record read, by position, and the last few device ids: consecutive
 * records repeat their names and units byte for byte, and comparing bytes costs less than
 * decoding UTF-8.
 */
class TextCache {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];

  private nextDeviceSlot = 0;

  private isCached(source: Buffer, start: number, end: number, slot: number): boolean {
    const cached = this.bytes[slot];
    if (cached?.length !== end - start) return false;
    let i = 0;
    while (i < cached.length && cached[i] === source[start + i]) i++;
    return i === cached.length;
  }

  /** A device id: batches interleave a few devices' records, so the last DEVICE_SLOTS are kept. */
  deviceId(source: Buffer, start: number, end: number): string {
    for (let slot = 0; slot < DEVICE_SLOTS; slot++) if (this.isCached(source, start, end, slot)) return this.texts[slot] ?? '';
    const slot = this.nextDeviceSlot;
    this.nextDeviceSlot = (slot + 1) % DEVICE_SLOTS;
    return this.text(source, start, end, slot);
  }

  text(source: Buffer, start: number, end: number, slot: number): string {
    if (slot >= MAX_CACHED_SLOTS) return source.toString('utf8', start, end);
    if (this.isCached(source, start, end, slot)) return this.texts[slot] ?? '';
    const text = source.toString('utf8', start, end);
    this.bytes[slot] = Uint8Array.prototype.slice.call(source, start, end);
    this.texts[slot] = text;
    return text;
  }
}

const cache = new TextCache();
const MAX_CACHED_SLOTS = 512;
const DEVICE_SLOTS = 8;

/** One Value message, read with the record's cursor narrowed to it. */
function readValue(cursor: ProtoCursor, fields: RecordFields): boolean {
  const span = cursor.span();
  if (!span) return false;
  const recordEnd = cursor.end;
  cursor.at = span[0];
  cursor.end = span[1];
  const slot = DEVICE_SLOTS + 2 * fields.names.length;
  let name = '';
  let unit = '';
  let value = 0;
  let isValid = true;
  while (isValid && cursor.at < cursor.end) {
    const tag = cursor.varint();
    if (tag === 0x0a || tag === 0x1a) {
      const text = cursor.span();
      if (!text) isValid = false;
      else if (tag === 0x0a) name = cache.text(cursor.bytes, text[0], text[1], slot);
      else unit = cache.text(cursor.bytes, text[0], text[1], slot + 1);
    } else if (tag === ((2 << 3) | WIRE_FIXED64) && cursor.at + 8 <= cursor.end) {
      value = cursor.bytes.readDoubleLE(cursor.at);
      cursor.at += 8;
    } else {
      isValid = false;
    }
  }
  cursor.at = span[1];
  cursor.end = recordEnd;
  fields.names.push(name);
  fields.units.push(unit);
  fields.values.push(value);
  return isValid;
}

function smallInteger(value: number, limit: number): number | undefined {
  return value >= 0 && value <= limit ? value : undefined;
}

/** `bytes` as a Buffer over the same memory. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The Record in `record` (or in its bytes [start, end), a field of a larger message). */
export function readRecordFields(record: Uint8Array, start = 0, end = record.length): RecordFields | undefined {
  const cursor = new ProtoCursor(asBuffer(record), start, end);
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
      fields.deviceId = cache.deviceId(cursor.bytes, span[0], span[1]);
    } else if (wireType === WIRE_LENGTH_DELIMITED && field === 6) {
      if (!readValue(cursor, fields)) return undefined;
    } else {
      return undefined;
    }
  }
  return fields;
}
