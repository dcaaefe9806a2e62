import type { Record__Output as WireRecordOutput } from '../generated/coupler/sync/v1/Record.js';
import type { RecordBatch__Output } from '../generated/coupler/sync/v1/RecordBatch.js';
import { groupRecords, type ColumnBatch, type ColumnGroup, type Group } from './columns.js';
import { asBuffer, ProtoCursor, readRecordFields, type RecordFields } from './record-bytes.js';

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
  const bytes = asBuffer(message);
  const request = new ProtoCursor(bytes, 0, bytes.length);
  if (request.varint() !== SYNC_REQUEST_BATCH) return undefined;
  const batchSpan = request.span();
  if (!batchSpan || request.at !== bytes.length) return undefined;
  const cursor = new ProtoCursor(bytes, batchSpan[0], batchSpan[1]);
  let batchId = 0;
  const spans: [number, number][] = [];
  while (cursor.at < cursor.end) {
    const tag = cursor.varint();
    if (tag === BATCH_RECORD || tag === BATCH_COLUMNS) {
      const span = cursor.span();
      if (!span) return undefined;
      if (tag === BATCH_COLUMNS && span[1] > span[0]) return undefined;
      if (tag === BATCH_RECORD) spans.push(span);
      continue;
    }
    const value = cursor.varint();
    if (!Number.isSafeInteger(value)) return undefined;
    if (tag === BATCH_ID) batchId = value;
    else if (tag !== BATCH_ENCODING || value !== 0) return undefined;
  }
  if (spans.length === 0) return undefined;
  const grouped = groupRecords(spans.length, (r) => {
    const [start, end] = spans[r] as [number, number];
    return readRecordFields(bytes, start, end);
  });
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
