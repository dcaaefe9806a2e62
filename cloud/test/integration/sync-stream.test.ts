import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { encodeColumns, encodeWireRecord, type WireRecord } from '@coupler/proto';
import { checkHealth, openSync, syncClient } from '../helpers/grpc-client.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir } from '../helpers/wait.js';

const GATEWAY_ID = 'train-7.car-2';

function wireRecord(sequence: number): WireRecord {
  return {
    sequence,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000 + sequence * 1000,
    lane: sequence % 2 === 0 ? 'LANE_BILLING' : 'LANE_BULK',
    quality: 'QUALITY_GOOD',
    values: [
      { name: 'voltageL1', value: 230 + sequence / 10, unit: 'V' },
      { name: 'importActiveEnergy', value: 1000.5, unit: 'kWh' },
    ],
  };
}

function batch(batchId: number, sequences: readonly number[]) {
  return { batch: { batchId, records: sequences.map(wireRecord) } };
}

async function metricValue(httpUrl: string, name: string): Promise<number> {
  const response = await fetch(`${httpUrl}/metrics`);
  expect(response.status).toBe(200);
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`metric ${name} not found`);
  return Number(line.slice(name.length + 1));
}

describe('SyncService.Sync', () => {
  it('acknowledges batches in order, by ranges, once they are stored', async () => {
    const { cloud, grpcAddress, httpUrl } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({
      hello: { gatewayId: GATEWAY_ID, softwareVersion: '0.1.0', firstUnacknowledgedSequence: 1 },
    });
    stream.send(batch(1, [1, 2, 3]));
    stream.send(batch(2, [4, 5]));
    stream.send(batch(3, [7, 8, 10]));

    expect(await stream.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 1, last: 3 }] },
    });
    expect(await stream.next()).toMatchObject({
      ack: { batchId: 2, stored: [{ first: 4, last: 5 }] },
    });
    expect(await stream.next()).toMatchObject({
      ack: {
        batchId: 3,
        stored: [
          { first: 7, last: 8 },
          { first: 10, last: 10 },
        ],
      },
    });
    expect((await stream.end()).code).toBe(status.OK);

    const store = cloud.store;
    expect(await store.countRecords(GATEWAY_ID)).toBe(8);
    const records = await store.listRecords(GATEWAY_ID);
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 7, 8, 10]);
    expect(records[1]).toMatchObject({
      gatewayId: GATEWAY_ID,
      sequence: 2,
      deviceId: 'meter-1',
      timestampMs: 1_700_000_002_000,
      lane: 'billing',
      quality: 'good',
      values: [
        { name: 'voltageL1', value: 230.2, unit: 'V' },
        { name: 'importActiveEnergy', value: 1000.5, unit: 'kWh' },
      ],
    });
    expect(await metricValue(httpUrl, 'coupler_cloud_records_stored_total')).toBe(8);
  });

  it('acknowledges a full window and more in order while earlier batches are still being stored, each once it is durable', async () => {
    const { cloud, grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    // More batches than the cloud stores at once (8), sent without waiting.
    const batches = 20;
    for (let id = 1; id <= batches; id++) stream.send(batch(id, Array.from({ length: 50 }, (_, k) => (id - 1) * 50 + k + 1)));
    for (let id = 1; id <= batches; id++) {
      expect(await stream.next()).toMatchObject({ ack: { batchId: id, stored: [{ first: (id - 1) * 50 + 1, last: id * 50 }] } });
      // What an acknowledgement names is in the store when it arrives.
      expect(await cloud.store.countRecords(GATEWAY_ID)).toBeGreaterThanOrEqual(id * 50);
    }
    expect((await stream.end()).code).toBe(status.OK);
    expect(await cloud.store.countRecords(GATEWAY_ID)).toBe(batches * 50);
  });

  it('acknowledges a batch resent on a new stream without storing it twice', async () => {
    const { cloud, grpcAddress, httpUrl } = await startCloud();
    const client = syncClient(grpcAddress);
    const first = openSync(client);
    first.send({ hello: { gatewayId: GATEWAY_ID } });
    first.send(batch(1, [1, 2, 3]));
    expect(await first.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 1, last: 3 }] },
    });
    // The gateway lost the connection before it saw... anything: it resends on a new stream.
    first.call.cancel();

    const second = openSync(client);
    second.send({ hello: { gatewayId: GATEWAY_ID } });
    second.send(batch(1, [1, 2, 3]));
    expect(await second.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 1, last: 3 }] },
    });
    expect((await second.end()).code).toBe(status.OK);

    expect(await cloud.store.countRecords(GATEWAY_ID)).toBe(3);
    expect(await metricValue(httpUrl, 'coupler_cloud_records_stored_total')).toBe(3);
    expect(await metricValue(httpUrl, 'coupler_cloud_records_duplicate_total')).toBe(3);
  });

  it('tells a rewound gateway its highest stored sequence and sends colliding records back unstored', async () => {
    const { cloud, grpcAddress, httpUrl } = await startCloud();
    const client = syncClient(grpcAddress);
    const first = openSync(client);
    first.send({ hello: { gatewayId: GATEWAY_ID } });
    expect(await first.nextWelcome()).toEqual({ highestStoredSequence: 0, batchEncodings: ['BATCH_ENCODING_COLUMNS_V1'] });
    first.send(batch(1, [1, 2, 3, 4]));
    expect(await first.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 1, last: 4 }], conflicting: [], highestStoredSequence: 4 },
    });
    expect((await first.end()).code).toBe(status.OK);

    // The gateway's buffer came back from an older backup: it resends 2 (the same record, a
    // true duplicate) and numbers new readings 3 and 4 again.
    const second = openSync(client);
    second.send({ hello: { gatewayId: GATEWAY_ID } });
    expect(await second.nextWelcome()).toMatchObject({ highestStoredSequence: 4 });
    const rewound = [wireRecord(2), ...[3, 4].map((s) => ({ ...wireRecord(s), timestampMs: 1_800_000_000_000 + s }))];
    second.send({ batch: { batchId: 1, records: [...rewound, wireRecord(5)] } });
    expect(await second.next()).toMatchObject({
      ack: {
        batchId: 1,
        stored: [
          { first: 2, last: 2 },
          { first: 5, last: 5 },
        ],
        conflicting: [{ first: 3, last: 4 }],
        highestStoredSequence: 5,
      },
    });
    expect((await second.end()).code).toBe(status.OK);
    const held = await cloud.store.listRecords(GATEWAY_ID);
    expect(held.map((r) => [r.sequence, r.timestampMs])).toEqual(
      [1, 2, 3, 4, 5].map((s) => [s, wireRecord(s).timestampMs]),
    );
    expect(await metricValue(httpUrl, 'coupler_cloud_records_conflicting_total')).toBe(2);
    expect(await metricValue(httpUrl, 'coupler_cloud_records_duplicate_total')).toBe(1);
  });

  it('stores a columnar batch exactly as the same records sent plainly; a resend in either form is a duplicate', async () => {
    const { cloud, grpcAddress, httpUrl } = await startCloud();
    const client = syncClient(grpcAddress);
    // Two meters, interleaved, with float32, decimal, scaled (raw * 0.1) and float64 values.
    const records: WireRecord[] = Array.from({ length: 40 }, (_, i) => ({
      sequence: 100 + i,
      deviceId: `meter-${i % 2}`,
      timestampMs: 1_700_000_000_000 + i * 1000 + (i % 3),
      lane: 'LANE_BULK',
      quality: i === 7 ? 'QUALITY_UNCERTAIN' : 'QUALITY_GOOD',
      values: [
        { name: 'voltageL1', value: Math.fround(230 + Math.sin(i) / 3), unit: 'V' },
        { name: 'currentL1', value: (120 + i) * 0.1, unit: 'A' },
        { name: 'importActiveEnergy', value: 1000 + i / 10, unit: 'kWh' },
        { name: 'powerFactor', value: Math.cos(i) / 3, unit: '' },
      ],
    }));
    const columns = encodeColumns(records.map((r) => encodeWireRecord(r))) ?? Buffer.alloc(0);
    const asColumns = (batchId: number) => ({ batch: { batchId, encoding: 'BATCH_ENCODING_COLUMNS_V1' as const, columns } });
    const stored = [{ first: 100, last: 139 }];

    const plain = openSync(client);
    plain.send({ hello: { gatewayId: 'car-plain' } });
    plain.send({ batch: { batchId: 1, records } });
    expect(await plain.next()).toMatchObject({ ack: { batchId: 1, stored } });
    expect((await plain.end()).code).toBe(status.OK);

    const compact = openSync(client);
    compact.send({ hello: { gatewayId: 'car-columns' } });
    expect(await compact.nextWelcome()).toMatchObject({ batchEncodings: ['BATCH_ENCODING_COLUMNS_V1'] });
    compact.send(asColumns(1));
    compact.send({ batch: { batchId: 2, records } });
    compact.send(asColumns(3));
    for (const batchId of [1, 2, 3]) expect(await compact.next()).toMatchObject({ ack: { batchId, stored, conflicting: [] } });
    expect((await compact.end()).code).toBe(status.OK);

    const held = async (gatewayId: string) =>
      (await cloud.store.listRecords(gatewayId)).map((record) => ({ ...record, gatewayId: undefined, receivedAtMs: undefined }));
    expect(await held('car-columns')).toEqual(await held('car-plain'));
    expect(await metricValue(httpUrl, 'coupler_cloud_records_stored_total')).toBe(80);
    expect(await metricValue(httpUrl, 'coupler_cloud_records_duplicate_total')).toBe(80);
    expect(await metricValue(httpUrl, 'coupler_cloud_batches_received_total{encoding="columns_v1"}')).toBe(2);
    expect(await metricValue(httpUrl, 'coupler_cloud_batches_received_total{encoding="records"}')).toBe(2);
  });

  it('refuses malformed columns with INVALID_ARGUMENT naming the problem, and keeps earlier batches', async () => {
    const { cloud, grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2]));
    const columns = encodeColumns([3, 4].map((s) => encodeWireRecord(wireRecord(s)))) ?? Buffer.alloc(0);
    stream.send({ batch: { batchId: 2, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns: columns.subarray(0, columns.length - 1) } });
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    const result = await stream.status;
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toMatch(/^invalid batch: columns: group 0 value 1 plane \d at byte \d+ runs past the end/);
    expect((await cloud.store.listRecords(GATEWAY_ID)).map((r) => r.sequence)).toEqual([1, 2]);
  });

  it('refuses a plain batch with an invalid record with INVALID_ARGUMENT naming the record and field, and keeps earlier batches', async () => {
    const { cloud, grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2]));
    stream.send({ batch: { batchId: 2, records: [wireRecord(3), { ...wireRecord(4), lane: 'LANE_UNSPECIFIED' }, wireRecord(5)] } });
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    const result = await stream.status;
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toBe('invalid batch: records[1].lane: must be LANE_BULK, LANE_ALARM or LANE_BILLING (got "LANE_UNSPECIFIED")');
    expect((await cloud.store.listRecords(GATEWAY_ID)).map((r) => r.sequence)).toEqual([1, 2]);
  });

  it('refuses a batch before hello with INVALID_ARGUMENT', async () => {
    const { cloud, grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send(batch(1, [1]));
    const result = await stream.status;
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toBe('the first message on a stream must be hello');
    expect(await cloud.store.countRecords()).toBe(0);
  });

  it.each([
    [
      'an empty gateway id',
      '',
      'hello.gatewayId must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got "")',
    ],
    [
      'a gateway id with a slash',
      'a/b',
      'hello.gatewayId must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got "a/b")',
    ],
  ])('refuses a hello with %s', async (_what, gatewayId, details) => {
    const { grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId } });
    expect(await stream.status).toMatchObject({ code: status.INVALID_ARGUMENT, details });
  });

  it('refuses a second hello on one stream', async () => {
    const { grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send({ hello: { gatewayId: 'someone-else' } });
    expect(await stream.status).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'hello was sent twice on one stream',
    });
  });

  it('refuses a batch larger than grpc.maxBatchRecords', async () => {
    const { cloud, grpcAddress } = await startCloud({
      env: { COUPLER_GRPC_MAX_BATCH_RECORDS: '5' },
    });
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2, 3, 4, 5]));
    stream.send(batch(2, [6, 7, 8, 9, 10, 11]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    expect(await stream.status).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'invalid batch: records: must hold at most 5 records (got 6)',
    });
    expect(await cloud.store.countRecords(GATEWAY_ID)).toBe(5);
  });

  it('refuses a batch with an invalid record, naming the field, and keeps earlier batches', async () => {
    const { cloud, grpcAddress } = await startCloud();
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2]));
    stream.send(batch(2, [3, 0]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    const result = await stream.status;
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toBe(
      'invalid batch: records[1].sequence: must be an integer > 0 (got 0)',
    );
    // The first batch stays; nothing of the refused batch is stored.
    expect((await cloud.store.listRecords(GATEWAY_ID)).map((r) => r.sequence)).toEqual([1, 2]);
  });

  it('reports SERVING over the standard health service, and ready over HTTP', async () => {
    const { grpcAddress, httpUrl } = await startCloud();
    expect(await checkHealth(grpcAddress, '')).toBe('SERVING');
    expect(await checkHealth(grpcAddress, 'coupler.sync.v1.SyncService')).toBe('SERVING');
    const healthz = await fetch(`${httpUrl}/healthz`);
    expect([healthz.status, await healthz.json()]).toEqual([200, { status: 'ok' }]);
    const readyz = await fetch(`${httpUrl}/readyz`);
    expect([readyz.status, await readyz.json()]).toEqual([
      200,
      {
        status: 'ready',
        checks: {
          store: { isReady: true, state: 'open' },
          grpc: { isReady: true, state: 'serving' },
          leader: { isReady: true, state: 'leading' },
        },
      },
    ]);
    const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
    expect(metrics).toContain('coupler_build_info{version="0.1.0",component="cloud"} 1');
    expect(metrics).toContain('coupler_cloud_process_cpu_seconds_total');
  });

  it('ends open streams with UNAVAILABLE when it stops, after acknowledging what it received', async () => {
    const running = await startCloud();
    const stream = openSync(syncClient(running.grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    const stopping = running.close();
    expect(await stream.status).toMatchObject({
      code: status.UNAVAILABLE,
      details: 'the cloud is stopping; reconnect later',
    });
    await stopping;
    expect(running.cloud.grpcPort()).toBe(0);
  });

  it('keeps records across a restart on the same data folder', async () => {
    const dataDir = tempDir();
    const first = await startCloud({ dataDir });
    const stream = openSync(syncClient(first.grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2, 3]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    expect((await stream.end()).code).toBe(status.OK);
    const before = await first.cloud.store.listRecords(GATEWAY_ID);
    await first.close();

    const second = await startCloud({ dataDir });
    expect(await second.cloud.store.countRecords(GATEWAY_ID)).toBe(3);
    expect(await second.cloud.store.listRecords(GATEWAY_ID)).toEqual(before);
    const again = openSync(syncClient(second.grpcAddress));
    again.send({ hello: { gatewayId: GATEWAY_ID } });
    again.send(batch(2, [3, 4]));
    expect(await again.next()).toMatchObject({
      ack: { batchId: 2, stored: [{ first: 3, last: 4 }] },
    });
    expect((await again.end()).code).toBe(status.OK);
    expect(await second.cloud.store.countRecords(GATEWAY_ID)).toBe(4);
  });
});
