import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { loadCouplerProto } from '../load.js';
import { encodeWireRecord, frameRecordBatch } from '../wire.js';
import type { Record as WireRecord } from '../generated/coupler/sync/v1/Record.js';
import { ColumnsFormatError } from './bytes.js';
import { decodeColumns, encodeColumns, recordsOfColumnGroups } from './columns.js';
import { plainColumnGroupsOf, plainRecordBatchMessage, readPlainRecordBatchRequest } from './plain-batch.js';
import { MAX_CARRIED_INTEGER } from './record-bytes.js';

/** Cases per property here; `npm run fuzz` raises it (COUPLER_FUZZ_RUNS). */
const FUZZ_RUNS = Number(process.env.COUPLER_FUZZ_RUNS ?? 200);
const method = loadCouplerProto().sync.SyncService.service.Sync;

/** What the cloud gets from the same records sent plainly: grpc-js' own decoding of the batch. */
function decodedPlainly(records: readonly Uint8Array[]) {
  return method.requestDeserialize(frameRecordBatch(1, records)).batch?.records;
}

const text = fc.oneof(fc.constantFrom('', 'meter-1', 'meter-2', 'voltageL1', 'V', 'kWh'), fc.string({ unit: 'binary', maxLength: 12 }));
const value = fc.oneof(
  fc.double(),
  fc.float({ noNaN: true }),
  fc.integer({ min: -3_000_000, max: 3_000_000 }).map((n) => n / 10),
  fc.integer({ min: -3_000_000, max: 3_000_000 }).map((n) => n * 0.1),
  fc.integer({ min: -3_000_000, max: 3_000_000 }).map((n) => n * 0.001),
  fc.constantFrom(0, -0, 230.1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_VALUE, Number.MIN_VALUE),
);
const shape = fc.array(fc.record({ name: text, unit: text }), { maxLength: 6 });
const lane = fc.constantFrom('LANE_UNSPECIFIED', 'LANE_BULK', 'LANE_ALARM', 'LANE_BILLING') as fc.Arbitrary<NonNullable<WireRecord['lane']>>;
const quality = fc.constantFrom('QUALITY_UNSPECIFIED', 'QUALITY_GOOD', 'QUALITY_UNCERTAIN', 'QUALITY_BAD') as fc.Arbitrary<NonNullable<WireRecord['quality']>>;
const carried = fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: MAX_CARRIED_INTEGER - 1 }));

/** Batches as a gateway builds them: a few devices, each with one or two shapes, values of every kind. */
const batch = fc
  .record({ devices: fc.array(text, { minLength: 1, maxLength: 3 }), shapes: fc.array(shape, { minLength: 1, maxLength: 3 }), length: fc.nat({ max: 40 }), first: carried, firstMs: carried })
  .chain(({ devices, shapes, length, first, firstMs }) =>
    fc.array(
      fc.record({ device: fc.constantFrom(...devices), shape: fc.constantFrom(...shapes), step: fc.oneof(fc.constant(1), fc.nat({ max: 5 }), carried), stepMs: fc.oneof(fc.constant(1000), fc.integer({ min: 990, max: 1010 }), carried), lane, quality, values: fc.array(value, { minLength: 6, maxLength: 6 }) }),
      { minLength: length, maxLength: length },
    ).map((rows) => {
      let sequence = first;
      let timestampMs = firstMs;
      return rows.map((row): WireRecord => {
        sequence = (sequence + row.step) % MAX_CARRIED_INTEGER;
        timestampMs = (timestampMs + row.stepMs) % MAX_CARRIED_INTEGER;
        const values = row.shape.map(({ name, unit }, v) => ({ name, unit, value: row.values[v] ?? 0 }));
        return { sequence, deviceId: row.device, timestampMs, lane: row.lane, quality: row.quality, values };
      });
    }),
  );

describe('columnar record batches (BATCH_ENCODING_COLUMNS_V1)', () => {
  it('decode to exactly the records grpc-js decodes from the same batch sent plainly', () => {
    fc.assert(
      fc.property(batch, (records) => {
        const encoded = records.map(encodeWireRecord);
        const columns = encodeColumns(encoded);
        expect(columns).toBeDefined();
        expect(decodeColumns(columns ?? new Uint8Array(), 5000)).toEqual(decodedPlainly(encoded));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('keep every bit of -0, subnormals and values that only float64 holds', () => {
    const values = [-0, 5e-324, 0.1 + 0.2, 230.1, 2301 * 0.1, Math.fround(230.1), -1e308].map((v, i) => ({ name: `v${i}`, value: v, unit: '' }));
    const records = [1, 2, 3].map((sequence) => encodeWireRecord({ sequence, deviceId: 'meter-1', timestampMs: sequence, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values }));
    const decoded = decodeColumns(encodeColumns(records) ?? new Uint8Array(), 10);
    expect(decoded.map((r) => r.values.map((v) => v.value))).toEqual([1, 2, 3].map(() => values.map((v) => v.value)));
    expect(Object.is(decoded[0]?.values[0]?.value, -0)).toBe(true);
  });

  it('leave to plain records what this version cannot carry', () => {
    const plain: WireRecord = { deviceId: 'meter-1', timestampMs: 1, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: [] };
    expect(encodeColumns([encodeWireRecord({ ...plain, sequence: MAX_CARRIED_INTEGER })])).toBeUndefined();
    expect(encodeColumns([encodeWireRecord({ ...plain, sequence: 1, timestampMs: -1 })])).toBeUndefined();
    // A field a later Record may add (number 7) travels only in the plain encoding.
    const withNewField = Buffer.concat([encodeWireRecord({ ...plain, sequence: 1 }), protobuf.Writer.create().uint32((7 << 3) | 0).uint32(1).finish()]);
    expect(encodeColumns([withNewField])).toBeUndefined();
  });

  it('refuse truncated, oversized or trailing bytes with a ColumnsFormatError naming the problem', () => {
    const records = [1, 2].map((sequence) => encodeWireRecord({ sequence, deviceId: 'meter-1', timestampMs: sequence * 1000, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: [{ name: 'voltageL1', value: 230.1, unit: 'V' }] }));
    const columns = encodeColumns(records) ?? Buffer.alloc(0);
    for (let end = 0; end < columns.length; end++) expect(() => decodeColumns(columns.subarray(0, end), 10)).toThrow(ColumnsFormatError);
    expect(() => decodeColumns(columns, 1)).toThrow('columns: record count must be at most 1 (got 2)');
    expect(() => decodeColumns(Buffer.concat([columns, Buffer.from([0])]), 10)).toThrow('columns: 1 bytes left after the last group');
  });

  it('answer any bytes with records or a ColumnsFormatError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeColumns(bytes, 100);
        } catch (err) {
          expect(err).toBeInstanceOf(ColumnsFormatError);
        }
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });
});

describe('plain record batches read from their bytes (readPlainRecordBatchRequest)', () => {
  it('give the batch id and, as column groups, exactly the records grpc-js decodes from the same SyncRequest', () => {
    fc.assert(
      fc.property(batch, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (records, batchId) => {
        const encoded = records.map(encodeWireRecord);
        const read = readPlainRecordBatchRequest(frameRecordBatch(batchId, encoded));
        if (records.length === 0) {
          expect(read).toBeUndefined();
        } else {
          expect(read?.batchId).toBe(batchId);
          expect(recordsOfColumnGroups(read?.columns ?? { groups: [], groupOf: new Uint32Array() })).toEqual(decodedPlainly(encoded));
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('group records of one device and shape together, in batch order', () => {
    const record = (sequence: number, deviceId: string, names: string[]) => encodeWireRecord({ sequence, deviceId, timestampMs: sequence * 1000, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: names.map((name) => ({ name, value: sequence, unit: 'V' })) });
    const read = readPlainRecordBatchRequest(frameRecordBatch(9, [record(1, 'a', ['v']), record(2, 'b', ['v']), record(3, 'a', ['v']), record(4, 'a', ['v', 'w'])]));
    expect(Array.from(read?.columns.groupOf ?? [])).toEqual([0, 1, 0, 2]);
    expect(read?.columns.groups.map((g) => [g.deviceId, g.names, g.sequences, Array.from(g.laneQuality)])).toEqual([
      ['a', ['v'], [1, 3], [5, 5]],
      ['b', ['v'], [2], [5]],
      ['a', ['v', 'w'], [4], [5]],
    ]);
  });

  it('leave to protobufjs every other message and what they cannot carry', () => {
    const plain: WireRecord = { deviceId: 'meter-1', timestampMs: 1, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: [{ name: 'v', value: 1, unit: '' }] };
    const good = encodeWireRecord({ ...plain, sequence: 1 });
    const request = (message: object) => method.requestSerialize(message);
    expect(readPlainRecordBatchRequest(frameRecordBatch(1, [good]))).toBeDefined();
    expect(readPlainRecordBatchRequest(request({ hello: { gatewayId: 'gw-1' } }))).toBeUndefined();
    expect(readPlainRecordBatchRequest(request({ batch: { batchId: 1, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns: encodeColumns([good]) } }))).toBeUndefined();
    expect(readPlainRecordBatchRequest(request({ batch: { batchId: 1, records: [plain], columns: Buffer.from([1]) } }))).toBeUndefined();
    expect(readPlainRecordBatchRequest(frameRecordBatch(1, []))).toBeUndefined();
    expect(readPlainRecordBatchRequest(frameRecordBatch(1, [good, encodeWireRecord({ ...plain, sequence: MAX_CARRIED_INTEGER })]))).toBeUndefined();
    expect(readPlainRecordBatchRequest(frameRecordBatch(1, [good, encodeWireRecord({ ...plain, sequence: 2, timestampMs: -1 })]))).toBeUndefined();
    const withNewField = Buffer.concat([encodeWireRecord({ ...plain, sequence: 2 }), protobuf.Writer.create().uint32((7 << 3) | 0).uint32(1).finish()]);
    expect(readPlainRecordBatchRequest(frameRecordBatch(1, [good, withNewField]))).toBeUndefined();
    const framed = frameRecordBatch(1, [good, good]);
    for (let end = 0; end < framed.length; end++) expect(readPlainRecordBatchRequest(framed.subarray(0, end))).toBeUndefined();
    // A field a later RecordBatch may add (number 5).
    expect(readPlainRecordBatchRequest(request({ batch: { batchId: 1, records: [plain] } }))).toBeDefined();
    const batchWithNewField = Buffer.concat([framed.subarray(2), protobuf.Writer.create().uint32((5 << 3) | 0).uint32(1).finish()]);
    expect(readPlainRecordBatchRequest(Buffer.concat([Buffer.from([0x12, batchWithNewField.length]), batchWithNewField]))).toBeUndefined();
  });

  it('make a RecordBatch that decodes its records with protobufjs only when they are read', () => {
    const bytes = frameRecordBatch(3, [encodeWireRecord({ sequence: 1, deviceId: 'meter-1', timestampMs: 1, lane: 'LANE_BULK', quality: 'QUALITY_GOOD', values: [] })]);
    const read = readPlainRecordBatchRequest(bytes);
    if (!read) throw new Error('expected a plain batch');
    let decoded = 0;
    const message = plainRecordBatchMessage(read, () => {
      decoded++;
      return method.requestDeserialize(bytes).batch?.records ?? [];
    });
    expect(plainColumnGroupsOf(message)).toBe(read.columns);
    expect(decoded).toBe(0);
    const { batchId, encoding, columns, records } = message;
    expect({ batchId, encoding, columns, records }).toEqual(method.requestDeserialize(bytes).batch);
    expect(message.records).toBe(message.records);
    expect(decoded).toBe(1);
    expect(plainColumnGroupsOf(method.requestDeserialize(bytes).batch ?? message)).toBeUndefined();
  });
});
