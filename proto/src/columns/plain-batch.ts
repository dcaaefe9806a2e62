import type { Record__Output as WireRecordOutput } from '../generated/coupler/sync/v1/Record.js';
import type { RecordBatch__Output } from '../generated/coupler/sync/v1/RecordBatch.js';
import { groupRecords, type ColumnBatch, type ColumnGroup, type Group } from './columns.js';
import { readRecordFields, type RecordFields } from './record-bytes.js';

/** A RecordBatch of plain records read from its bytes: its id and its records as column groups. */
export interface PlainRecordBatch {
  batchId: number;
  columns: ColumnBatch;
}

// Tags (field number << 3 | wire type) of coupler.sync.v1.SyncRequest and RecordBatch.
const SYNC_REQUEST_BATCH = (2 << 3) | 2;
const BATCH_ID = (1 << 3) | 0;
const BATCH_RECORD = (2 << 3) | 2;
const BATCH_ENCODING = (3 << 3) | 0;
const BATCH_COLUMNS = (4 << 3) | 2;

/** A varint at `at` as [value, next position]; NaN beyond 2^53 or past `end`. */
function varintAt(bytes: Uint8Array, at: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8 && at < end; i++) {
    const byte = bytes[at++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value <= Number.MAX_SAFE_INTEGER ? value : Number.NaN, at];
    scale *= 0x80;
  }
  return [Number.NaN, at];
}

function columnGroupOf({ deviceId, names, units, rows }: Group): ColumnGroup {
  const count = rows.length;
  const sequences = new Array<number>(count);
  const timestamps = new Array<number>(count);
  const laneQuality = new Uint8Array(count);
  const values = names.map(() => new Float64Array(count));
  for (let i = 0; i < count; i++) {
    const row = rows[i] as RecordFields;
    sequences[i] = row.sequence;
    timestamps[i] = row.timestampMs;
    laneQuality[i] = row.lane | (row.quality << 2);
    for (let v = 0; v < values.length; v++) (values[v] as Float64Array)[i] = row.values[v] as number;
  }
  return { deviceId, names, units, sequences, timestamps, laneQuality, values };
}

/**
 * A coupler.sync.v1.SyncRequest holding a RecordBatch of plain records (BATCH_ENCODING_RECORDS),
 * read straight from its bytes into column groups: no object per record and per value that
 * outlives the call (protobufjs makes several, and a stream's queued batches keep them alive
 * through garbage collections). Answers undefined for any other message, and for anything this
 * reader does not take (an unknown field, a sequence or timestamp of 2^50 or more, an enum number
 * outside the .proto's, no records): decode those with protobufjs. The column groups hold the
 * values protobufjs would give, records not yet checked (a sequence may be 0, a lane unspecified).
 */
export function readPlainRecordBatchRequest(message: Uint8Array): PlainRecordBatch | undefined {
  if (message[0] !== SYNC_REQUEST_BATCH) return undefined;
  const [length, start] = varintAt(message, 1, message.length);
  if (start + length !== message.length) return undefined;
  let batchId = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  let at = start;
  while (at < message.length) {
    const tag = message[at++];
    let value: number;
    [value, at] = varintAt(message, at, message.length);
    if (Number.isNaN(value)) return undefined;
    if (tag === BATCH_ID) batchId = value;
    else if (tag === BATCH_ENCODING && value !== 0) return undefined;
    else if (tag === BATCH_COLUMNS && value !== 0) return undefined;
    else if (tag === BATCH_RECORD) {
      if (at + value > message.length) return undefined;
      starts.push(at);
      at += value;
      ends.push(at);
    } else if (tag !== BATCH_ENCODING && tag !== BATCH_COLUMNS) return undefined;
  }
  if (starts.length === 0) return undefined;
  const grouped = groupRecords(starts.length, (r) => readRecordFields(message, starts[r], ends[r]));
  if (!grouped) return undefined;
  return { batchId, columns: { groups: grouped.groups.map(columnGroupOf), groupOf: grouped.groupOf } };
}

const PLAIN_GROUPS = Symbol('plain records as column groups');
type WithPlainGroups = RecordBatch__Output & { [PLAIN_GROUPS]?: ColumnBatch };

/**
 * The RecordBatch of a PlainRecordBatch as grpc-js would give it, except that its records stay
 * column groups (plainColumnGroupsOf). `records` is made by `decodeRecords` (protobufjs, as
 * grpc-js does) only when something reads it: the error of an invalid batch names the record.
 */
export function plainRecordBatchMessage({ batchId, columns }: PlainRecordBatch, decodeRecords: () => WireRecordOutput[]): RecordBatch__Output {
  let records: WireRecordOutput[] | undefined;
  const batch: WithPlainGroups = {
    get records() {
      records ??= decodeRecords();
      return records;
    },
    batchId,
    encoding: 'BATCH_ENCODING_RECORDS',
    columns: Buffer.alloc(0),
    [PLAIN_GROUPS]: columns,
  };
  return batch;
}

/** The column groups of a RecordBatch made by plainRecordBatchMessage; undefined for any other. */
export function plainColumnGroupsOf(batch: RecordBatch__Output): ColumnBatch | undefined {
  return (batch as WithPlainGroups)[PLAIN_GROUPS];
}
