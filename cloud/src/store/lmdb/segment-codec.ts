import { RecordColumns, type RecordShape, type StoredRecord } from '../../records/index.js';

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

const padded8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

/**
 * The records of `columns` at `rows` (ascending sequence order, each sequence once) as a
 * segment: their columns copied as they are, the shapes they use renumbered in order of first use.
 */
export function encodeSegment(columns: RecordColumns, rows: ArrayLike<number>, receivedAtMs: number): Buffer {
  const count = rows.length;
  const shapes: RecordShape[] = [];
  const renumbered = new Int32Array(columns.shapes.length).fill(-1);
  const shapeOf = new Uint32Array(count);
  let values = 0;
  for (let i = 0; i < count; i++) {
    const shape = columns.shapeOf[rows[i] as number] as number;
    let index = renumbered[shape] as number;
    if (index < 0) {
      index = shapes.length;
      renumbered[shape] = index;
      shapes.push(columns.shapes[shape] as RecordShape);
    }
    shapeOf[i] = index;
    values += (shapes[index] as RecordShape).names.length;
  }
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
  for (let i = 0; i < count; i++) {
    const r = rows[i] as number;
    sequences[i] = columns.sequences[r] as number;
    timestamps[i] = columns.timestamps[r] as number;
    flags[i] = columns.flags[r] as number;
    const from = columns.valueAt[r] as number;
    const to = from + (shapes[shapeOf[i] as number] as RecordShape).names.length;
    for (let j = from; j < to; j++) flat[v++] = columns.values[j] as number;
  }
  return Buffer.from(memory);
}

/** A stored segment read back: columns, turned into records only for those a caller wants. */
export class Segment extends RecordColumns {
  readonly receivedAtMs: number;

  constructor(stored: Uint8Array) {
    // Typed arrays need 8-byte aligned offsets: a value read from LMDB is copied once.
    const bytes = stored.byteOffset % 8 === 0 ? stored : new Uint8Array(stored);
    const memory = bytes.buffer;
    const at = bytes.byteOffset;
    const header = new DataView(memory, at, HEADER_BYTES);
    const count = header.getUint32(0, true);
    const values = header.getUint32(4, true);
    const tableBytes = header.getUint32(16, true);
    const table = JSON.parse(Buffer.from(memory, at + HEADER_BYTES, tableBytes).toString()) as [string, string[], string[]][];
    const columnsAt = at + padded8(HEADER_BYTES + tableBytes);
    super({
      shapes: table.map(([deviceId, names, units]) => ({ deviceId, names, units })),
      sequences: new Float64Array(memory, columnsAt, count),
      timestamps: new Float64Array(memory, columnsAt + 8 * count, count),
      values: new Float64Array(memory, columnsAt + 16 * count, values),
      shapeOf: new Uint32Array(memory, columnsAt + 8 * (2 * count + values), count),
      flags: new Uint8Array(memory, columnsAt + 8 * (2 * count + values) + 4 * count, count),
    });
    this.receivedAtMs = header.getFloat64(8, true);
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

  stored(index: number, gatewayId: string): StoredRecord {
    return { gatewayId, ...this.record(index), receivedAtMs: this.receivedAtMs };
  }
}
