import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LmdbBuffer } from '../../src/buffer/index.js';
import type { Reading } from '../../src/records/index.js';
import { SyncClient, type SyncOptions } from '../../src/sync/index.js';
import { startScriptedSyncServer } from '../helpers/grpc-sync-server.js';
import { silentLogger, testRegistry } from '../helpers/gateway-parts.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

function readings(count: number, lane: Reading['lane'] = 'bulk'): Reading[] {
  return Array.from({ length: count }, (_, i) => ({ deviceId: 'meter-1', timestampMs: 1_700_000_000_000 + i, quality: 'good', lane, values: [{ name: 'n', value: i, unit: '' }] }));
}

async function openBuffer(): Promise<LmdbBuffer> {
  const buffer = new LmdbBuffer({ dataDir: tempDir(), gatewayId: 'gw-sync', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return Promise.resolve(buffer);
}

function startClient(buffer: LmdbBuffer, cloudUrl: string, overrides: Partial<SyncOptions> = {}, registry = testRegistry()): SyncClient {
  const client = new SyncClient(
    { cloudUrl, gatewayId: 'gw-sync', softwareVersion: '0.1.0-test', batchMaxRecords: 10, windowBatches: 2, ackTimeoutMs: 30_000, keepaliveTimeMs: 30_000, backlogReportIntervalMs: 60_000, initialBackoffMs: 20, maxBackoffMs: 100, columnarBatches: true, ...overrides },
    {
      logger: silentLogger(),
      registry,
      backlog: {
        batchAfter: (lane, after, limit) => buffer.batchAfter(lane, after, limit),
        acknowledge: (ranges, lane) => buffer.acknowledge(ranges, lane),
        advanceSequence: (highest) => buffer.advanceSequence(highest),
        renumber: (ranges, highest) => buffer.renumber(ranges, highest),
        onAppended: (listener) => buffer.onAppended(listener),
        firstSequence: () => buffer.stats().firstSequence,
        state: () => ({ ...buffer.stats(), secondsUntilQuotaFull: undefined }),
      },
    },
  );
  onTestFinished(() => client.stop());
  void client.start();
  return client;
}

describe('sync client', () => {
  it('says hello with its identity and first unacknowledged record, then drains the buffer', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(35));
    await buffer.acknowledge([{ first: 1, last: 4 }]);
    const cloud = await startScriptedSyncServer();
    const client = startClient(buffer, cloud.address);

    await waitFor('the buffer to drain', () => buffer.stats().records === 0);
    expect(cloud.hellos).toEqual([{ gatewayId: 'gw-sync', softwareVersion: '0.1.0-test', firstUnacknowledgedSequence: 5 }]);
    expect([...cloud.stored.keys()]).toEqual(Array.from({ length: 31 }, (_, i) => i + 5));
    expect(client.status()).toMatchObject({ state: 'streaming', streamRestarts: 0 });

    await buffer.append(readings(3));
    await waitFor('new records to follow', () => cloud.stored.size === 34);
  });

  it('after a cut link resends from the first unacknowledged record, and the cloud keeps each once', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(50));
    // First stream: acknowledge one batch, then cut the link on the third.
    const cloud = await startScriptedSyncServer((_call, batch, stream) => (stream === 1 && batch.batchId === 3 ? 'cut' : 'ack'));
    const client = startClient(buffer, cloud.address);

    await waitFor('the buffer to drain', () => buffer.stats().records === 0);
    expect(cloud.streams).toBe(2);
    expect(client.status().streamRestarts).toBe(1);
    expect([...cloud.stored.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Batch 2 was in flight when the link broke, so it was sent twice; nothing else was.
    expect(cloud.received.length).toBeGreaterThanOrEqual(50);
    expect(cloud.received.length).toBeLessThanOrEqual(60);
  });

  it('keeps at most the window of batches unacknowledged and restarts the stream when acks stop', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(100));
    let batchesOnFirstStream = 0;
    const cloud = await startScriptedSyncServer((_call, _batch, stream) => {
      if (stream > 1) return 'ack';
      batchesOnFirstStream++;
      return 'hold';
    });
    startClient(buffer, cloud.address, { windowBatches: 3, ackTimeoutMs: 1000 });

    await waitFor('the buffer to drain on the second stream', () => buffer.stats().records === 0);
    expect(batchesOnFirstStream).toBe(3);
    expect(cloud.streams).toBe(2);
  });

  it('waits with back-off while the cloud is away and delivers when it appears', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(5));
    // Reserve a port, close it, and point the client at it: nothing listens there yet.
    const probe = await startScriptedSyncServer();
    const address = probe.address;
    await probe.close();
    const client = startClient(buffer, address, { initialBackoffMs: 20, maxBackoffMs: 50 });
    await waitFor('a few failed attempts', () => client.status().streamRestarts >= 2);
    expect(buffer.stats().records).toBe(5);
    expect(client.status().state).not.toBe('streaming');
  });

  it('sends billing, then alarm, then bulk records after a reconnect, whatever their age', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(25, 'bulk'));
    await buffer.append(readings(12, 'alarm'));
    await buffer.append(readings(15, 'billing'));
    const cloud = await startScriptedSyncServer();
    startClient(buffer, cloud.address, { windowBatches: 1 });

    await waitFor('the buffer to drain', () => buffer.stats().records === 0);
    expect(cloud.batchLanes).toEqual(['LANE_BILLING', 'LANE_BILLING', 'LANE_ALARM', 'LANE_ALARM', 'LANE_BULK', 'LANE_BULK', 'LANE_BULK']);
    // Within a lane, order is kept.
    const billing = cloud.received.filter((r) => r.lane === 'LANE_BILLING').map((r) => r.sequence);
    expect(billing).toEqual(Array.from({ length: 15 }, (_, i) => i + 38));
  });

  it('renumbers the records the cloud holds others under, above its highest, and resends them', async () => {
    const buffer = await openBuffer();
    // The buffer came back from an older copy: 1..10 numbered again, and the cloud holds other
    // records under 3..7 and up to 50.
    await buffer.append(readings(10));
    const cloud = await startScriptedSyncServer(() => 'ack', { heldElsewhere: { sequences: new Set([3, 4, 5, 6, 7]), highestStoredSequence: 50 } });
    const registry = new Registry();
    startClient(buffer, cloud.address, { batchMaxRecords: 4 }, registry);

    await waitFor('the buffer to drain', () => buffer.stats().records === 0);
    // Readings 2..6 (0-based) under new sequences above 50, in their order; the rest as they were.
    expect([...cloud.stored].map(([sequence, record]) => [sequence, record.values[0]?.value]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [1, 0], [2, 1], [8, 7], [9, 8], [10, 9], [51, 2], [52, 3], [53, 4], [54, 5], [55, 6],
    ]);
    // The welcome moved the counter past 50 before anything new was numbered.
    const [fresh] = await buffer.append(readings(1));
    expect(fresh?.sequence).toBe(56);
    const counters = await registry.getMetricsAsJSON();
    const value = (name: string) => counters.find((m) => m.name === name)?.values[0]?.value;
    expect([value('coupler_edge_buffer_sequence_rewinds_total'), value('coupler_edge_buffer_records_renumbered_total')]).toEqual([1, 5]);
  });

  it('sends columns once the cloud\'s welcome lists them, plain records to a cloud that does not, the same records either way', async () => {
    // Two meters, float32 and decimal values, as the Modbus poller writes them.
    const meterReadings = Array.from({ length: 35 }, (_, i): Reading => ({
      deviceId: `meter-${i % 2}`,
      timestampMs: 1_700_000_000_000 + i * 1000,
      quality: i === 20 ? 'uncertain' : 'good',
      lane: 'bulk',
      values: [
        { name: 'voltageL1', value: Math.fround(230 + Math.sin(i) / 3), unit: 'V' },
        { name: 'importActiveEnergy', value: 1000 + i / 10, unit: 'kWh' },
      ],
    }));
    const drainTo = async (cloudOptions: Parameters<typeof startScriptedSyncServer>[1], columnarBatches = true) => {
      const buffer = await openBuffer();
      await buffer.append(meterReadings);
      const cloud = await startScriptedSyncServer(() => 'ack', cloudOptions);
      const registry = new Registry();
      startClient(buffer, cloud.address, { columnarBatches }, registry);
      await waitFor('the buffer to drain', () => buffer.stats().records === 0);
      const sent = (await registry.getMetricsAsJSON()).find((m) => m.name === 'coupler_edge_sync_batches_sent_total')?.values;
      return { cloud, sent: Object.fromEntries((sent ?? []).map((v) => [String(v.labels['encoding']), v.value])) };
    };

    const listing = await drainTo({ batchEncodings: ['BATCH_ENCODING_COLUMNS_V1'] });
    // The first window goes out with hello, before the welcome can arrive.
    expect(listing.cloud.batchEncodings).toEqual(['BATCH_ENCODING_RECORDS', 'BATCH_ENCODING_RECORDS', 'BATCH_ENCODING_COLUMNS_V1', 'BATCH_ENCODING_COLUMNS_V1']);
    expect(listing.sent).toEqual({ records: 2, columns_v1: 2 });

    const older = await drainTo({});
    const listingNone = await drainTo({ batchEncodings: [] });
    const switchedOff = await drainTo({ batchEncodings: ['BATCH_ENCODING_COLUMNS_V1'] }, false);
    for (const plain of [older, listingNone, switchedOff]) {
      expect(plain.cloud.batchEncodings).toEqual(Array.from({ length: 4 }, () => 'BATCH_ENCODING_RECORDS'));
      expect(plain.sent).toEqual({ records: 4 });
    }
    expect([...listing.cloud.stored.entries()]).toEqual([...older.cloud.stored.entries()]);
    expect([...listing.cloud.stored.values()].map((r) => r.values)).toEqual(meterReadings.map((r) => r.values));
  });

  it('reports the buffer state to the cloud when the stream opens', async () => {
    const buffer = await openBuffer();
    await buffer.append(readings(7, 'bulk'));
    await buffer.append(readings(2, 'billing'));
    const cloud = await startScriptedSyncServer((_call, _batch, stream) => (stream === 1 ? 'hold' : 'ack'));
    startClient(buffer, cloud.address);

    const [report] = await waitFor('a backlog report', () => (cloud.backlogReports.length > 0 ? cloud.backlogReports : undefined));
    expect(report).toMatchObject({ records: 9, quotaBytes: 1 << 30 });
    expect(report?.oldestRecordAgeSeconds).toBeGreaterThan(0);
    expect(report?.lanes).toEqual([
      { lane: 'LANE_BILLING', records: 2, bytes: expect.any(Number) as unknown, droppedTotal: 0 },
      { lane: 'LANE_ALARM', records: 0, bytes: 0, droppedTotal: 0 },
      { lane: 'LANE_BULK', records: 7, bytes: expect.any(Number) as unknown, droppedTotal: 0 },
    ]);
  });
});
