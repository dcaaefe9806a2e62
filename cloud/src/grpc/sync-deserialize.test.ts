import { describe, expect, it } from 'vitest';
import { encodeWireRecord, frameRecordBatch, loadCouplerProto, plainColumnGroupsOf, type SyncRequest, type SyncRequest__Output } from '@coupler/proto';
import { syncServiceReadingPlainBatches } from './sync-deserialize.js';

const service = loadCouplerProto().sync.SyncService.service;
const protobufjs = service.Sync.requestDeserialize as (bytes: Buffer) => SyncRequest__Output;
const deserialize = syncServiceReadingPlainBatches(service).Sync?.requestDeserialize as (bytes: Buffer) => SyncRequest__Output;

const records = [1, 2, 3].map((sequence) =>
  encodeWireRecord({ sequence, deviceId: sequence === 2 ? 'relay' : 'meter-1', timestampMs: 1_700_000_000_000 + sequence, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: [{ name: 'voltage', value: 230 + sequence, unit: 'V' }] }),
);

function thrownBy(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

describe('the Sync method reading plain batches from their bytes', () => {
  it('gives what protobufjs gives for a plain batch, its records kept as column groups until read', () => {
    const bytes = frameRecordBatch(12, records);
    const request = deserialize(bytes);
    const batch = request.batch;
    if (!batch) throw new Error('expected a batch');
    expect(plainColumnGroupsOf(batch)?.groupOf).toEqual(new Uint32Array([0, 1, 0]));
    expect(request.message).toBe('batch');
    const { batchId, encoding, columns } = batch;
    expect({ message: request.message, batch: { batchId, encoding, columns, records: batch.records } }).toEqual(protobufjs(bytes));
  });

  it('leaves every other message to protobufjs, and malformed bytes fail there as before', () => {
    const method = service.Sync;
    const messages: SyncRequest[] = [{ hello: { gatewayId: 'gw-1', softwareVersion: '1.0' } }, { batch: { batchId: 1, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns: Buffer.from([1, 2]) } }, { backlog: {} }];
    for (const message of messages) {
      const bytes = method.requestSerialize(message);
      const request = deserialize(bytes);
      expect(request).toEqual(protobufjs(bytes));
      if (request.batch) expect(plainColumnGroupsOf(request.batch)).toBeUndefined();
    }
    const truncated = frameRecordBatch(1, records).subarray(0, 20);
    expect(thrownBy(() => deserialize(truncated))).toBe(thrownBy(() => protobufjs(truncated)));
  });
});
