import { LANES, QUALITIES, type StoredRecord, type TelemetryRecord } from '../../records/index.js';

/**
 * One stored segment (docs/decisions/0013): records of one gateway, stored by one batch and
 * within one time window, in sequence order, as columns of one LMDB value.
 *
 *   u32 records, u32 values, f64 receivedAtMs, u32 shape table byte length
 *   shape table: JSON [[deviceId, [names], [units]], …], padded to 8 bytes
 *   f64 sequences[records], f64 timestamps[records], f64 values[values]
 *   u32 shape of each record, u8 lane | quality << 2 of each record
 */
const HEADER_BYTES = 20;
const MAX_SEGMENT_BYTES = 2 ** 32;

interface Shape {
  deviceId: string;
  names: string[];
  units: string[];
}

const LANE_CODE = new Map(LANES.map((lane, i) => [lane, i]));
const QUALITY_CODE = new Map(QUALITIES.map((quality, i) => [quality, i]));

function isShapeOf(shape: Shape, record: TelemetryRecord): boolean {
  const { values } = record;
  if (shape.deviceId !== record.deviceId || shape.names.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined || shape.names[i] !== value.name || shape.units[i] !== value.unit) return false;
  }
  return true;
}

function shapeTable(records: readonly TelemetryRecord[]): { shapes: Shape[]; shapeOf: Uint32Array; values: number } {
  const shapes: Shape[] = [];
  const byKey = new Map<string, number>();
  const latestOfDevice = new Map<string, number>();
  const shapeOf = new Uint32Array(records.length);
  let values = 0;
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as TelemetryRecord;
    values += record.values.length;
    let index = latestOfDevice.get(record.deviceId);
    if (index === undefined || !isShapeOf(shapes[index] as Shape, record)) {
      const names = record.values.map((v) => v.name);
      const units = record.values.map((v) => v.unit);
      // As JSON, no device id, name or unit can run into the next one.
      const key = JSON.stringify([record.deviceId, names, units]);
      index = byKey.get(key);
      if (index === undefined) {
        index = shapes.length;
        shapes.push({ deviceId: record.deviceId, names, units });
        byKey.set(key, index);
      }
      latestOfDevice.set(record.deviceId, index);
    }
    shapeOf[r] = index;
  }
  return { shapes, shapeOf, values };
}

const padded8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

/** `records` in ascending sequence order, each sequence once. */
export function encodeSegment(records: readonly TelemetryRecord[], receivedAtMs: number): Buffer {
  const count = records.length;
  const { shapes, shapeOf, values } = shapeTable(records);
  const table = Buffer.from(JSON.stringify(shapes.map((s) => [s.deviceId, s.names, s.units])));
  const columnsAt = padded8(HEADER_BYTES + table.length);
  const total = columnsAt + 8 * (2 * count + values) + 4 * count + count;
  if (total >= MAX_SEGMENT_BYTES) throw new RangeError(`a segment of ${count} records is too large to store (${total} bytes)`);
  const memory = new ArrayBuffer(total);
  const header = new DataView(memory);
  header.setUint32(0, count, true);
  header.setUint32(4, values, true);
  header.setFloat64(8, receivedAtMs, true);
  header.setUint32(16, table.length, true);
  new Uint8Array(memory, HEADER_BYTES, table.length).set(table);
  const sequences = new Float64Array(memory, columnsAt, count);
  const timestamps = new Float64Array(memory, columnsAt + 8 * count, count);
  const flat = new Float64Array(memory, columnsAt + 16 * count, values);
  new Uint32Array(memory, columnsAt + 8 * (2 * count + values), count).set(shapeOf);
  const flags = new Uint8Array(memory, columnsAt + 8 * (2 * count + values) + 4 * count, count);
  let v = 0;
  for (let r = 0; r < count; r++) {
    const record = records[r] as TelemetryRecord;
    sequences[r] = record.sequence;
    timestamps[r] = record.timestampMs;
    flags[r] = (LANE_CODE.get(record.lane) ?? 0) | ((QUALITY_CODE.get(record.quality) ?? 0) << 2);
    for (const value of record.values) flat[v++] = value.value;
  }
  return Buffer.from(memory);
}

/** A stored segment read back: columns, turned into records only for those a caller wants. */
export class Segment {
  readonly count: number;
  readonly receivedAtMs: number;
  readonly sequences: Float64Array;
  readonly timestamps: Float64Array;
  private readonly shapes: Shape[];
  private readonly shapeOf: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly values: Float64Array;
  private readonly valueAt: Uint32Array;

  constructor(stored: Uint8Array) {
    // Typed arrays need 8-byte aligned offsets: a value read from LMDB is copied once.
    const bytes = stored.byteOffset % 8 === 0 ? stored : new Uint8Array(stored);
    const memory = bytes.buffer;
    const at = bytes.byteOffset;
    const header = new DataView(memory, at, HEADER_BYTES);
    const count = header.getUint32(0, true);
    const values = header.getUint32(4, true);
    this.count = count;
    this.receivedAtMs = header.getFloat64(8, true);
    const tableBytes = header.getUint32(16, true);
    const table = JSON.parse(Buffer.from(memory, at + HEADER_BYTES, tableBytes).toString()) as [string, string[], string[]][];
    this.shapes = table.map(([deviceId, names, units]) => ({ deviceId, names, units }));
    const columnsAt = at + padded8(HEADER_BYTES + tableBytes);
    this.sequences = new Float64Array(memory, columnsAt, count);
    this.timestamps = new Float64Array(memory, columnsAt + 8 * count, count);
    this.values = new Float64Array(memory, columnsAt + 16 * count, values);
    this.shapeOf = new Uint32Array(memory, columnsAt + 8 * (2 * count + values), count);
    this.flags = new Uint8Array(memory, columnsAt + 8 * (2 * count + values) + 4 * count, count);
    this.valueAt = new Uint32Array(count);
    let v = 0;
    for (let r = 0; r < count; r++) {
      this.valueAt[r] = v;
      v += (this.shapes[this.shapeOf[r] as number] as Shape).names.length;
    }
  }

  /** The index of a sequence, or -1 when the segment does not hold it. */
  indexOf(sequence: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.sequences[mid] as number) < sequence) low = mid + 1;
      else high = mid;
    }
    return this.sequences[low] === sequence ? low : -1;
  }

  lane(index: number): TelemetryRecord['lane'] {
    return LANES[(this.flags[index] as number) & 3] as TelemetryRecord['lane'];
  }

  deviceId(index: number): string {
    return (this.shapes[this.shapeOf[index] as number] as Shape).deviceId;
  }

  record(index: number): TelemetryRecord {
    const shape = this.shapes[this.shapeOf[index] as number] as Shape;
    const flags = this.flags[index] as number;
    const first = this.valueAt[index] as number;
    return {
      sequence: this.sequences[index] as number,
      deviceId: shape.deviceId,
      timestampMs: this.timestamps[index] as number,
      lane: LANES[flags & 3] as TelemetryRecord['lane'],
      quality: QUALITIES[flags >> 2] as TelemetryRecord['quality'],
      values: shape.names.map((name, j) => ({ name, value: this.values[first + j] as number, unit: shape.units[j] as string })),
    };
  }

  stored(index: number, gatewayId: string): StoredRecord {
    return { gatewayId, ...this.record(index), receivedAtMs: this.receivedAtMs };
  }
}
