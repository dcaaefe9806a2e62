import { describe, expect, it } from 'vitest';
import { loadCouplerProto } from './load.js';
import { decodeWireRecord, encodeWireRecord, frameRecordBatch } from './wire.js';
import type { Record as WireRecord } from './generated/coupler/sync/v1/Record.js';

const records: WireRecord[] = [1, 2, 300].map((sequence) => ({
  sequence,
  deviceId: `meter-${sequence}`,
  timestampMs: 1_767_225_600_000 + sequence,
  lane: sequence === 2 ? 'LANE_BILLING' : 'LANE_BULK',
  quality: 'QUALITY_GOOD',
  values: [{ name: 'importActiveEnergy', value: sequence / 10, unit: 'kWh' }],
}));

/** A batch of plain records as grpc-js decodes it: the encoding and columns fields at their defaults. */
const PLAIN = { encoding: 'BATCH_ENCODING_RECORDS', columns: Buffer.alloc(0) };

describe('wire records', () => {
  it('round-trips a record through its wire encoding', () => {
    const [first] = records;
    expect(decodeWireRecord(encodeWireRecord(first!))).toEqual(first);
  });

  it('frames encoded records into exactly the SyncRequest that grpc-js would send', () => {
    const method = loadCouplerProto().sync.SyncService.service.Sync;
    const framed = frameRecordBatch(70_000, records.map(encodeWireRecord));
    expect(framed.equals(method.requestSerialize({ batch: { batchId: 70_000, records } }))).toBe(true);
    expect(method.requestDeserialize(framed)).toEqual({ message: 'batch', batch: { batchId: 70_000, records, ...PLAIN } });
  });

  it('frames an empty batch', () => {
    const method = loadCouplerProto().sync.SyncService.service.Sync;
    expect(method.requestDeserialize(frameRecordBatch(1, []))).toEqual({ message: 'batch', batch: { batchId: 1, records: [], ...PLAIN } });
  });
});
