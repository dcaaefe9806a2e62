import { LANES, QUALITIES, type Lane, type Quality, type TelemetryRecord } from './record.js';

/** What records of one device with the same value names and units share. */
export interface RecordShape {
  readonly deviceId: string;
  readonly names: readonly string[];
  readonly units: readonly string[];
}

export interface RecordColumnsParts {
  sequences: Float64Array;
  timestamps: Float64Array;
  /** Per record: index in LANES | index in QUALITIES << 2. */
  flags: Uint8Array;
  shapes: readonly RecordShape[];
  shapeOf: Uint32Array;
  /** Every record's values, record after record, in the order of its shape's names. */
  values: Float64Array;
}

export const laneOfFlags = (flags: number): Lane => LANES[flags & 3] as Lane;
export const qualityOfFlags = (flags: number): Quality => QUALITIES[flags >> 2] as Quality;
export const flagsOf = (lane: Lane, quality: Quality): number => LANES.indexOf(lane) | (QUALITIES.indexOf(quality) << 2);

/**
 * Records as columns, so that a batch received as columns reaches the store without an object
 * per record (docs/decisions/0016); `record(i)` builds one only when it is asked for.
 */
export class RecordColumns {
  readonly count: number;
  readonly sequences: Float64Array;
  readonly timestamps: Float64Array;
  readonly flags: Uint8Array;
  readonly shapes: readonly RecordShape[];
  readonly shapeOf: Uint32Array;
  readonly values: Float64Array;
  /** Where each record's values start in `values`. */
  readonly valueAt: Uint32Array;

  constructor(parts: RecordColumnsParts) {
    this.count = parts.sequences.length;
    this.sequences = parts.sequences;
    this.timestamps = parts.timestamps;
    this.flags = parts.flags;
    this.shapes = parts.shapes;
    this.shapeOf = parts.shapeOf;
    this.values = parts.values;
    this.valueAt = new Uint32Array(this.count);
    let v = 0;
    for (let r = 0; r < this.count; r++) {
      this.valueAt[r] = v;
      v += (this.shapes[this.shapeOf[r] as number] as RecordShape).names.length;
    }
  }

  /** The same records as columns; records of one device with the same names and units share a shape. */
  static fromRecords(records: readonly TelemetryRecord[]): RecordColumns {
    return RecordColumns.fromRows(records, (record) => flagsOf(record.lane, record.quality));
  }

  /**
   * Records in any form that has their sequence, device, timestamp and values (a wire record as
   * grpc-js decoded it, too) as columns; `flagsOfRow` gives each one's lane and quality as flags.
   */
  static fromRows<Row extends Omit<TelemetryRecord, 'lane' | 'quality'>>(rows: readonly Row[], flagsOfRow: (row: Row) => number): RecordColumns {
    const count = rows.length;
    const shapes: RecordShape[] = [];
    const byKey = new Map<string, number>();
    const latestOfDevice = new Map<string, number>();
    const shapeOf = new Uint32Array(count);
    const sequences = new Float64Array(count);
    const timestamps = new Float64Array(count);
    const flags = new Uint8Array(count);
    let valueCount = 0;
    for (let r = 0; r < count; r++) {
      const record = rows[r] as Row;
      valueCount += record.values.length;
      let index = latestOfDevice.get(record.deviceId);
      if (index === undefined || !isShapeOf(shapes[index] as RecordShape, record)) {
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
      sequences[r] = record.sequence;
      timestamps[r] = record.timestampMs;
      flags[r] = flagsOfRow(record);
    }
    const values = new Float64Array(valueCount);
    let v = 0;
    for (const record of rows) for (const value of record.values) values[v++] = value.value;
    return new RecordColumns({ sequences, timestamps, flags, shapes, shapeOf, values });
  }

  lane(index: number): Lane {
    return laneOfFlags(this.flags[index] as number);
  }

  deviceId(index: number): string {
    return (this.shapes[this.shapeOf[index] as number] as RecordShape).deviceId;
  }

  record(index: number): TelemetryRecord {
    const shape = this.shapes[this.shapeOf[index] as number] as RecordShape;
    const flags = this.flags[index] as number;
    const first = this.valueAt[index] as number;
    return {
      sequence: this.sequences[index] as number,
      deviceId: shape.deviceId,
      timestampMs: this.timestamps[index] as number,
      lane: laneOfFlags(flags),
      quality: qualityOfFlags(flags),
      values: shape.names.map((name, j) => ({ name, value: this.values[first + j] as number, unit: shape.units[j] as string })),
    };
  }

  toRecords(): TelemetryRecord[] {
    return Array.from({ length: this.count }, (_, i) => this.record(i));
  }
}

function isShapeOf(shape: RecordShape, record: Pick<TelemetryRecord, 'deviceId' | 'values'>): boolean {
  const { values } = record;
  if (shape.deviceId !== record.deviceId || shape.names.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined || shape.names[i] !== value.name || shape.units[i] !== value.unit) return false;
  }
  return true;
}

function isSameShape(a: RecordShape, b: RecordShape): boolean {
  if (a === b) return true;
  if (a.deviceId !== b.deviceId || a.names.length !== b.names.length) return false;
  for (let i = 0; i < a.names.length; i++) if (a.names[i] !== b.names[i] || a.units[i] !== b.units[i]) return false;
  return true;
}

/** isSameContent for record `i` of `a` and record `j` of `b`, without making either an object. */
export function isSameContentAt(a: RecordColumns, i: number, b: RecordColumns, j: number): boolean {
  if (a.timestamps[i] !== b.timestamps[j] || a.flags[i] !== b.flags[j]) return false;
  const shape = a.shapes[a.shapeOf[i] as number] as RecordShape;
  if (!isSameShape(shape, b.shapes[b.shapeOf[j] as number] as RecordShape)) return false;
  const from = a.valueAt[i] as number;
  const other = b.valueAt[j] as number;
  for (let v = 0; v < shape.names.length; v++) if (a.values[from + v] !== b.values[other + v]) return false;
  return true;
}
