import { describe, expect, it } from 'vitest';
import { loadCouplerProto } from './load.js';

describe('loadCouplerProto', () => {
  it('exposes coupler.sync.v1.SyncService/Sync as one bidirectional stream', () => {
    const { sync, packageDefinition } = loadCouplerProto();
    const method = sync.SyncService.service.Sync;
    expect(method).toMatchObject({ path: '/coupler.sync.v1.SyncService/Sync', requestStream: true, responseStream: true });
    expect(Object.keys(packageDefinition)).toContain('coupler.sync.v1.SyncService');
  });

  // A batch of plain records as grpc-js decodes it: the encoding and columns fields at their defaults.
  const PLAIN = { encoding: 'BATCH_ENCODING_RECORDS', columns: Buffer.alloc(0) };

  it('carries 64-bit sequence numbers and timestamps as exact JS numbers', () => {
    const { sync } = loadCouplerProto();
    const request = {
      batch: {
        batchId: 7,
        records: [{ sequence: 2 ** 53 - 1, deviceId: 'm1', timestampMs: 1_767_225_600_123, lane: 'LANE_BILLING' as const, quality: 'QUALITY_GOOD' as const, values: [{ name: 'e', value: 1.5, unit: 'kWh' }] }],
      },
    };
    const method = sync.SyncService.service.Sync;
    const decoded = method.requestDeserialize(method.requestSerialize(request));
    expect(decoded).toEqual({ message: 'batch', batch: { ...request.batch, ...PLAIN } });
  });
});
