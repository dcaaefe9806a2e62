import { describe, expect, it } from 'vitest';
import { encodeColumns, encodeWireRecord, frameRecordBatch, loadCouplerProto, plainRecordBatchMessage, readPlainRecordBatchRequest, type RecordBatch__Output, type WireRecord__Output } from '@coupler/proto';
import { checkedColumns, decodeBatch } from './batch-records.js';
import { recordsFromWire } from './validate.js';

const columnsOfBatch = (batch: RecordBatch__Output, maxRecords: number) => checkedColumns(decodeBatch(batch, maxRecords));

function wire(overrides: Partial<WireRecord__Output> = {}): WireRecord__Output {
  return {
    sequence: 1,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000,
    lane: 'LANE_BILLING',
    quality: 'QUALITY_UNCERTAIN',
    values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
    ...overrides,
  };
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    expect(err).toMatchObject({ code: 'CPL_ERR_SYNC_INVALID_BATCH' });
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

describe('recordsFromWire', () => {
  it('converts proto enums to our lane and quality', () => {
    expect(
      recordsFromWire([
        wire(),
        wire({ sequence: 2, lane: 'LANE_BULK', quality: 'QUALITY_GOOD' }),
        wire({ lane: 'LANE_ALARM', quality: 'QUALITY_BAD' }),
      ]),
    ).toEqual([
      {
        sequence: 1,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'billing',
        quality: 'uncertain',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
      {
        sequence: 2,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'bulk',
        quality: 'good',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
      {
        sequence: 1,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'alarm',
        quality: 'bad',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
    ]);
  });

  it.each([
    [{ sequence: 0 }, 'records[1].sequence: must be an integer > 0 (got 0)'],
    [{ sequence: 1.5 }, 'records[1].sequence: must be an integer > 0 (got 1.5)'],
    [{ deviceId: '' }, 'records[1].deviceId: must be 1 to 128 characters (got "")'],
    [{ deviceId: 'x'.repeat(129) }, 'records[1].deviceId: must be 1 to 128 characters'],
    [
      { timestampMs: -1 },
      'records[1].timestampMs: must be milliseconds since the Unix epoch (got -1)',
    ],
    [
      { lane: 'LANE_UNSPECIFIED' as const },
      'records[1].lane: must be LANE_BULK, LANE_ALARM or LANE_BILLING (got "LANE_UNSPECIFIED")',
    ],
    [
      { quality: 'QUALITY_UNSPECIFIED' as const },
      'records[1].quality: must be QUALITY_GOOD, QUALITY_UNCERTAIN or QUALITY_BAD (got "QUALITY_UNSPECIFIED")',
    ],
    [
      {
        values: [
          { name: 'a', value: 1, unit: '' },
          { name: 'b', value: Number.NaN, unit: 'V' },
        ],
      },
      'records[1].values[1].value: must be a finite number (got "NaN")',
    ],
    [
      { values: [{ name: 'a', value: Number.POSITIVE_INFINITY, unit: '' }] },
      'records[1].values[0].value: must be a finite number (got "Infinity")',
    ],
  ])('refuses %j naming the record and field', (overrides, expected) => {
    expect(messageOf(() => recordsFromWire([wire(), wire(overrides)]))).toContain(expected);
  });
});

function wireAt(sequence: number, overrides: Partial<WireRecord__Output> = {}): WireRecord__Output {
  return {
    sequence,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000 + sequence * 1000,
    lane: 'LANE_BULK',
    quality: 'QUALITY_GOOD',
    values: [
      { name: 'voltage', value: 230.1 + sequence, unit: 'V' },
      { name: 'energy', value: Math.fround(12.25 * sequence), unit: 'kWh' },
    ],
    ...overrides,
  };
}

/** Three devices of other shapes, interleaved as a gateway's lanes and pollers mix them. */
function mixed(bad: Partial<WireRecord__Output> = {}): WireRecord__Output[] {
  return [
    wireAt(7, { deviceId: 'meter-2', values: [{ name: 'frequency', value: 49.98, unit: 'Hz' }] }),
    wireAt(3, { lane: 'LANE_BILLING', quality: 'QUALITY_UNCERTAIN', ...bad }),
    wireAt(4, { deviceId: 'relay', lane: 'LANE_ALARM', quality: 'QUALITY_BAD', values: [] }),
    wireAt(5),
    wireAt(8, { deviceId: 'meter-2', values: [{ name: 'frequency', value: -0, unit: 'Hz' }] }),
    wireAt(6, { values: [{ name: 'voltage', value: 0.1 + 0.2, unit: 'V' }, { name: 'energy', value: 1e300, unit: 'kWh' }] }),
  ];
}

function plain(records: WireRecord__Output[]): RecordBatch__Output {
  return { batchId: 1, encoding: 'BATCH_ENCODING_RECORDS', records, columns: Buffer.alloc(0) };
}

function columnar(records: WireRecord__Output[]): RecordBatch__Output {
  const columns = encodeColumns(records.map((r) => encodeWireRecord(r)));
  if (!columns) throw new Error('columns v1 cannot carry this batch');
  return { batchId: 1, encoding: 'BATCH_ENCODING_COLUMNS_V1', records: [], columns };
}

const syncMethod = loadCouplerProto().sync.SyncService.service.Sync;

/** The same plain batch read from its bytes as the cloud's Sync deserialiser reads it (decision 0022). */
function fromBytes(records: WireRecord__Output[]): RecordBatch__Output {
  const bytes = frameRecordBatch(1, records.map((r) => encodeWireRecord(r)));
  const read = readPlainRecordBatchRequest(bytes);
  if (!read) throw new Error('the byte reader cannot take this batch');
  return plainRecordBatchMessage(read, () => syncMethod.requestDeserialize(bytes).batch?.records ?? []);
}

/** A bad field in the batch's second record, and the error that names it. */
const BAD_RECORDS: [Partial<WireRecord__Output>, string][] = [
  [{ sequence: 0 }, 'records[1].sequence: must be an integer > 0 (got 0)'],
  [{ deviceId: '' }, 'records[1].deviceId: must be 1 to 128 characters (got "")'],
  [{ deviceId: 'x'.repeat(129) }, 'records[1].deviceId: must be 1 to 128 characters'],
  [{ lane: 'LANE_UNSPECIFIED' as const }, 'records[1].lane: must be LANE_BULK, LANE_ALARM or LANE_BILLING (got "LANE_UNSPECIFIED")'],
  [{ quality: 'QUALITY_UNSPECIFIED' as const }, 'records[1].quality: must be QUALITY_GOOD, QUALITY_UNCERTAIN or QUALITY_BAD (got "QUALITY_UNSPECIFIED")'],
  [{ values: [{ name: 'a', value: 1, unit: '' }, { name: 'b', value: Number.NaN, unit: 'V' }] }, 'records[1].values[1].value: must be a finite number (got "NaN")'],
  [{ values: [{ name: 'a', value: Number.NEGATIVE_INFINITY, unit: '' }] }, 'records[1].values[0].value: must be a finite number (got "-Infinity")'],
];

describe('decodeBatch and checkedColumns', () => {
  it('gives the same records from columns as from the same batch sent plainly, without decoding them to objects first', () => {
    const fromColumns = columnsOfBatch(columnar(mixed()), 100);
    const fromRecords = columnsOfBatch(plain(mixed()), 100);
    expect(fromColumns.count).toBe(6);
    expect(Array.from(fromColumns.sequences)).toEqual([7, 3, 4, 5, 8, 6]);
    expect(fromRecords.toRecords()).toEqual(recordsFromWire(mixed()));
    expect(fromColumns.toRecords()).toEqual(fromRecords.toRecords());
    expect(columnsOfBatch(fromBytes(mixed()), 100)).toEqual(fromRecords);
    expect(fromColumns.toRecords()[1]).toEqual({
      sequence: 3,
      deviceId: 'meter-1',
      timestampMs: 1_700_000_003_000,
      lane: 'billing',
      quality: 'uncertain',
      values: [
        { name: 'voltage', value: 233.1, unit: 'V' },
        { name: 'energy', value: 36.75, unit: 'kWh' },
      ],
    });
    expect(Object.is(fromColumns.record(4).values[0]?.value, -0)).toBe(true);
    expect(fromColumns.record(5).values.map((v) => v.value)).toEqual([0.1 + 0.2, 1e300]);
  });

  it.each(BAD_RECORDS)('refuses a columnar batch with %j with the same error as the plain batch', (bad, expected) => {
    const fromColumns = messageOf(() => columnsOfBatch(columnar(mixed(bad)), 100));
    expect(fromColumns).toContain(expected);
    expect(fromColumns).toBe(messageOf(() => columnsOfBatch(plain(mixed(bad)), 100)));
  });

  it.each(BAD_RECORDS)('refuses a plain batch read from its bytes with %j with the same error as protobufjs\'s records', (bad, expected) => {
    const fromRecordBytes = messageOf(() => columnsOfBatch(fromBytes(mixed(bad)), 100));
    expect(fromRecordBytes).toContain(expected);
    expect(fromRecordBytes).toBe(messageOf(() => columnsOfBatch(plain(mixed(bad)), 100)));
  });

  it('names the first bad record in batch order when records of several groups are bad', () => {
    const records = mixed();
    records[4] = wireAt(8, { deviceId: 'meter-2', values: [{ name: 'frequency', value: Number.NaN, unit: 'Hz' }] });
    records[3] = wireAt(5, { lane: 'LANE_UNSPECIFIED' });
    expect(messageOf(() => columnsOfBatch(columnar(records), 100))).toContain('records[3].lane: must be LANE_BULK');
  });

  it('refuses more records than allowed and malformed columns as before', () => {
    expect(messageOf(() => columnsOfBatch(columnar(mixed()), 5))).toMatch(/^invalid batch: columns: record count/);
    expect(messageOf(() => columnsOfBatch(plain(mixed()), 5))).toBe('invalid batch: records: must hold at most 5 records (got 6)');
    expect(messageOf(() => columnsOfBatch(fromBytes(mixed()), 5))).toBe('invalid batch: records: must hold at most 5 records (got 6)');
    const truncated = columnar(mixed());
    expect(messageOf(() => columnsOfBatch({ ...truncated, columns: truncated.columns.subarray(0, 40) }, 100))).toMatch(/^invalid batch: columns: .* past the end/);
  });
});
