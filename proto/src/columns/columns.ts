import type { Record__Output as WireRecordOutput } from '../generated/coupler/sync/v1/Record.js';
import { ByteReader, ByteWriter, ColumnsFormatError, unzigzag, zigzag } from './bytes.js';
import { MAX_ENUM_NUMBER, readRecordFields, type RecordFields } from './record-bytes.js';
import { readValues, writeValues } from './values.js';

/**
 * BATCH_ENCODING_COLUMNS_V1 (docs/decisions/0010): a batch's records grouped by device and by
 * their list of value names and units, each group as columns.
 *
 *   varint records
 *   varint strings, then each: varint byte length, UTF-8   (device ids, names, units, once)
 *   varint groups, then each: varint device, varint values, then per value varint name, varint unit
 *   when groups > 1: per record, in batch order, varint group
 *   per group, over its records in batch order:
 *     sequences and timestamps: varint first, then zigzag varint delta of delta
 *     per record one byte: lane | quality << 2
 *     per value name a column (values.ts)
 */
export const MAX_VALUES_PER_BATCH = 1_000_000;
const LANE_NAMES = ['LANE_UNSPECIFIED', 'LANE_BULK', 'LANE_ALARM', 'LANE_BILLING'] as const;
const QUALITY_NAMES = ['QUALITY_UNSPECIFIED', 'QUALITY_GOOD', 'QUALITY_UNCERTAIN', 'QUALITY_BAD'] as const;

export interface Group {
  index: number;
  deviceId: string;
  names: string[];
  units: string[];
  rows: RecordFields[];
}

function isSameShape(group: Group, fields: RecordFields): boolean {
  if (group.names.length !== fields.names.length) return false;
  for (let i = 0; i < group.names.length; i++) if (group.names[i] !== fields.names[i] || group.units[i] !== fields.units[i]) return false;
  return true;
}

function shapeKey(fields: RecordFields): string {
  // As JSON, no device id, name or unit can run into the next one.
  return JSON.stringify([fields.deviceId, fields.names, fields.units]);
}

/** `count` records, record `r` read by `fieldsOf(r)`, grouped; undefined when one cannot be read or there are too many values. */
export function groupRecords(count: number, fieldsOf: (r: number) => RecordFields | undefined): { groups: Group[]; groupOf: Uint32Array } | undefined {
  const groups: Group[] = [];
  const byShape = new Map<string, Group>();
  const latestOfDevice = new Map<string, Group>();
  const groupOf = new Uint32Array(count);
  let values = 0;
  for (let r = 0; r < count; r++) {
    const fields = fieldsOf(r);
    if (!fields) return undefined;
    values += fields.values.length;
    let group = latestOfDevice.get(fields.deviceId);
    if (!group || !isSameShape(group, fields)) {
      const key = shapeKey(fields);
      group = byShape.get(key);
      if (!group) {
        group = { index: groups.length, deviceId: fields.deviceId, names: fields.names, units: fields.units, rows: [] };
        groups.push(group);
        byShape.set(key, group);
      }
      latestOfDevice.set(fields.deviceId, group);
    }
    group.rows.push(fields);
    groupOf[r] = group.index;
  }
  return values <= MAX_VALUES_PER_BATCH ? { groups, groupOf } : undefined;
}

function writeIntegers(out: ByteWriter, integers: number[]): void {
  out.varint(integers[0] ?? 0);
  let previousDelta = 0;
  for (let i = 1; i < integers.length; i++) {
    const delta = (integers[i] ?? 0) - (integers[i - 1] ?? 0);
    out.varint(zigzag(delta - previousDelta));
    previousDelta = delta;
  }
}

function readIntegers(input: ByteReader, count: number, what: string): number[] {
  const integers = [input.varint(what)];
  let previousDelta = 0;
  for (let i = 1; i < count; i++) {
    previousDelta += unzigzag(input.varint(what));
    integers.push((integers[i - 1] ?? 0) + previousDelta);
  }
  return integers;
}

/**
 * The records (each a coupler.sync.v1.Record in its wire encoding) as BATCH_ENCODING_COLUMNS_V1,
 * or undefined when one of them holds what this version cannot carry: send those plainly.
 */
export function encodeColumns(records: readonly Uint8Array[]): Buffer | undefined {
  const grouped = groupRecords(records.length, (r) => readRecordFields(records[r] ?? new Uint8Array()));
  if (!grouped) return undefined;
  const { groups, groupOf } = grouped;
  const strings = new Map<string, number>();
  const out = new ByteWriter();
  const refOf = (text: string): number => {
    let ref = strings.get(text);
    if (ref === undefined) {
      ref = strings.size;
      strings.set(text, ref);
    }
    return ref;
  };
  const heads = groups.map((g) => [refOf(g.deviceId), g.names.length, ...g.names.flatMap((name, v) => [refOf(name), refOf(g.units[v] ?? '')])]);
  out.varint(records.length);
  out.varint(strings.size);
  for (const text of strings.keys()) {
    const bytes = Buffer.from(text, 'utf8');
    out.varint(bytes.length);
    out.raw(bytes);
  }
  out.varint(groups.length);
  for (const head of heads) for (const n of head) out.varint(n);
  if (groups.length > 1) for (const g of groupOf) out.varint(g);
  for (const { rows, names } of groups) {
    writeIntegers(out, rows.map((row) => row.sequence));
    writeIntegers(out, rows.map((row) => row.timestampMs));
    for (const row of rows) out.u8(row.lane | (row.quality << 2));
    const column = new Float64Array(rows.length);
    for (let v = 0; v < names.length; v++) {
      for (let i = 0; i < rows.length; i++) column[i] = rows[i]?.values[v] ?? 0;
      writeValues(out, column);
    }
  }
  return out.finish();
}

interface GroupHead {
  deviceId: string;
  names: string[];
  units: string[];
  count: number;
}

function readHeads(input: ByteReader, records: number): GroupHead[] {
  const strings = Array.from({ length: input.count('string count', 1) }, (_, s) => input.utf8(input.varint(`string ${s} length`), `string ${s}`));
  const stringAt = (what: string): string => {
    const ref = input.varint(what);
    const text = strings[ref];
    if (text === undefined) throw new ColumnsFormatError(`columns: ${what} names string ${ref} of ${strings.length}`);
    return text;
  };
  const heads = Array.from({ length: input.count('group count', 2, records) }, (_, g): GroupHead => {
    const deviceId = stringAt(`group ${g} device id`);
    const names: string[] = [];
    const units: string[] = [];
    const valueCount = input.count(`group ${g} value count`, 2);
    for (let v = 0; v < valueCount; v++) {
      names.push(stringAt(`group ${g} value ${v} name`));
      units.push(stringAt(`group ${g} value ${v} unit`));
    }
    return { deviceId, names, units, count: 0 };
  });
  if (records > 0 && heads.length === 0) throw new ColumnsFormatError(`columns: ${records} records need at least one group`);
  return heads;
}

/** One group of a BATCH_ENCODING_COLUMNS_V1 batch, its records in batch order, as columns. */
export interface ColumnGroup {
  deviceId: string;
  names: string[];
  units: string[];
  sequences: number[];
  timestamps: number[];
  /** Per record: lane | quality << 2, as the wire's enum numbers. */
  laneQuality: Uint8Array;
  /** One column per value name. */
  values: Float64Array[];
}

/** A BATCH_ENCODING_COLUMNS_V1 batch as its groups; `groupOf` names each record's group, in batch order. */
export interface ColumnBatch {
  groups: ColumnGroup[];
  groupOf: Uint32Array;
}

/**
 * The groups of a BATCH_ENCODING_COLUMNS_V1 batch, without one object per record. Throws
 * ColumnsFormatError naming what is wrong; never allocates beyond what the bytes and
 * `maxRecords` bound.
 */
export function decodeColumnGroups(bytes: Uint8Array, maxRecords: number): ColumnBatch {
  const input = new ByteReader(bytes);
  const recordCount = input.count('record count', 1, maxRecords);
  const heads = readHeads(input, recordCount);
  const groupOf = new Uint32Array(recordCount);
  if (heads.length > 1) {
    for (let r = 0; r < recordCount; r++) {
      const g = input.varint(`record ${r} group`);
      if (g >= heads.length) throw new ColumnsFormatError(`columns: record ${r} names group ${g} of ${heads.length}`);
      groupOf[r] = g;
    }
  }
  for (const g of groupOf) (heads[g] as GroupHead).count++;
  const totalValues = heads.reduce((sum, head) => sum + head.count * head.names.length, 0);
  if (totalValues > MAX_VALUES_PER_BATCH) throw new ColumnsFormatError(`columns: a batch may hold at most ${MAX_VALUES_PER_BATCH} values (got ${totalValues})`);
  const groups = heads.map((head, g) => readGroup(input, head, `group ${g}`));
  if (input.remaining > 0) throw new ColumnsFormatError(`columns: ${input.remaining} bytes left after the last group`);
  return { groups, groupOf };
}

/** The records of decoded groups, in batch order, exactly as grpc-js decodes plain records. */
export function recordsOfColumnGroups({ groups, groupOf }: ColumnBatch): WireRecordOutput[] {
  const decoded = groups.map(recordsOfGroup);
  const next = new Uint32Array(groups.length);
  return Array.from(groupOf, (g) => {
    const taken = next[g] ?? 0;
    next[g] = taken + 1;
    return decoded[g]?.[taken] as WireRecordOutput;
  });
}

/**
 * The records of a BATCH_ENCODING_COLUMNS_V1 batch, exactly as grpc-js decodes plain records.
 * Throws ColumnsFormatError naming what is wrong; never allocates beyond what the bytes and
 * `maxRecords` bound.
 */
export function decodeColumns(bytes: Uint8Array, maxRecords: number): WireRecordOutput[] {
  return recordsOfColumnGroups(decodeColumnGroups(bytes, maxRecords));
}

function readGroup(input: ByteReader, head: GroupHead, what: string): ColumnGroup {
  const { count, names, units, deviceId } = head;
  if (count === 0) throw new ColumnsFormatError(`columns: ${what} has no records`);
  const sequences = readIntegers(input, count, `${what} sequences`);
  const timestamps = readIntegers(input, count, `${what} timestamps`);
  const laneQuality = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const byte = input.u8(`${what} record ${i} lane and quality`);
    if (byte >> 2 >= QUALITY_NAMES.length) throw new ColumnsFormatError(`columns: ${what} record ${i} lane and quality must be below 16 (got ${byte})`);
    laneQuality[i] = byte;
  }
  const values = names.map((_, v) => readValues(input, count, `${what} value ${v}`));
  return { deviceId, names, units, sequences, timestamps, laneQuality, values };
}

function recordsOfGroup(group: ColumnGroup): WireRecordOutput[] {
  const { deviceId, names, units, sequences, timestamps, laneQuality, values } = group;
  return sequences.map((sequence, i): WireRecordOutput => {
    const byte = laneQuality[i] ?? 0;
    return {
      sequence,
      deviceId,
      timestampMs: timestamps[i] ?? 0,
      lane: LANE_NAMES[byte & MAX_ENUM_NUMBER] ?? 'LANE_UNSPECIFIED',
      quality: QUALITY_NAMES[byte >> 2] ?? 'QUALITY_UNSPECIFIED',
      values: names.map((name, v) => ({ name, value: values[v]?.[i] ?? 0, unit: units[v] ?? '' })),
    };
  });
}
