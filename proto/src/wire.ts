import type protobuf from 'protobufjs/light.js';
import type { Record as WireRecord } from './generated/coupler/sync/v1/Record.js';
import type { Record__Output as WireRecordOutput } from './generated/coupler/sync/v1/Record.js';
import { MESSAGE_OUTPUT_OPTIONS } from './message-options.js';
import { couplerRoot } from './reflection.js';

// Field numbers of sync.proto, for framing batches from records that are already encoded.
const SYNC_REQUEST_BATCH_FIELD = 2;
const RECORD_BATCH_ID_FIELD = 1;
const RECORD_BATCH_RECORDS_FIELD = 2;
const WIRE_TYPE_VARINT = 0;
const WIRE_TYPE_LENGTH_DELIMITED = 2;

interface RecordCodec {
  type: protobuf.Type;
  laneNumbers: Readonly<Record<string, number>>;
  qualityNumbers: Readonly<Record<string, number>>;
}

let codec: RecordCodec | undefined;

/** coupler.sync.v1.Record as protobufjs reflects it. */
function record(): RecordCodec {
  if (!codec) {
    const root = couplerRoot();
    codec = {
      type: root.lookupType('coupler.sync.v1.Record'),
      laneNumbers: root.lookupEnum('coupler.sync.v1.Lane').values,
      qualityNumbers: root.lookupEnum('coupler.sync.v1.Quality').values,
    };
  }
  return codec;
}

/** A record in its wire encoding: what the edge buffers, and frames into batches unchanged. */
export function encodeWireRecord(value: WireRecord): Uint8Array {
  const { type, laneNumbers, qualityNumbers } = record();
  // encode() takes enum numbers; mapping them here skips protobufjs' slower fromObject().
  const lane = typeof value.lane === 'string' ? laneNumbers[value.lane] : value.lane;
  const quality = typeof value.quality === 'string' ? qualityNumbers[value.quality] : value.quality;
  return type.encode({ ...value, lane, quality }).finish();
}

export function decodeWireRecord(bytes: Uint8Array): WireRecordOutput {
  const { type } = record();
  return type.toObject(type.decode(bytes), MESSAGE_OUTPUT_OPTIONS) as WireRecordOutput;
}

function tag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

function varint(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/**
 * The bytes of `SyncRequest { batch: RecordBatch { batch_id, records } }` built from records
 * already in their wire encoding, without decoding them: a length-delimited field is its tag,
 * its length and its bytes (protobuf encoding guide, "Length-Delimited Records").
 */
export function frameRecordBatch(batchId: number, records: readonly Uint8Array[]): Buffer {
  const head: number[] = [];
  head.push(tag(RECORD_BATCH_ID_FIELD, WIRE_TYPE_VARINT));
  varint(head, batchId);
  const parts: Uint8Array[] = [Buffer.from(head)];
  let batchLength = head.length;
  for (const bytes of records) {
    const prefix: number[] = [tag(RECORD_BATCH_RECORDS_FIELD, WIRE_TYPE_LENGTH_DELIMITED)];
    varint(prefix, bytes.length);
    parts.push(Buffer.from(prefix), bytes);
    batchLength += prefix.length + bytes.length;
  }
  const outer: number[] = [tag(SYNC_REQUEST_BATCH_FIELD, WIRE_TYPE_LENGTH_DELIMITED)];
  varint(outer, batchLength);
  return Buffer.concat([Buffer.from(outer), ...parts]);
}
