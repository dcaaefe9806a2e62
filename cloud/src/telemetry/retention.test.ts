import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@coupler/kit';
import { openTempStore } from '../../test/helpers/lmdb-store.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { TelemetryRecord } from '../records/index.js';
import { createRetentionMetrics, RetentionJob } from './retention.js';

const DAY_MS = 86_400_000;
/** FAKE wall clock (time is injected, STYLE §7): "now" is day 100. */
const NOW_MS = 100 * DAY_MS;

const record = (sequence: number, ageDays: number, lane: TelemetryRecord['lane']): TelemetryRecord => ({
  sequence, deviceId: 'm1', timestampMs: NOW_MS - ageDays * DAY_MS, lane, quality: 'good', values: [],
});

async function setUp(batchRecords: number, maxBatchesPerRun: number) {
  const store = await openTempStore();
  const registry = new Registry();
  const job = new RetentionJob(
    { maxAgeMs: 30 * DAY_MS, intervalMs: 3_600_000, batchRecords, maxBatchesPerRun },
    { store, metrics: createRetentionMetrics(registry), logger: createLogger({ name: 'test', level: 'silent' }), now: () => NOW_MS },
  );
  const deletedTotal = async () => (await registry.getSingleMetric('coupler_cloud_retention_deleted_records_total')?.get())?.values[0]?.value;
  return { store, job, deletedTotal };
}

describe('RetentionJob', () => {
  it('deletes raw records older than the age in bounded batches, never billing, and counts them', async () => {
    const { store, job, deletedTotal } = await setUp(2, 2);
    await store.storeRecords('gw-1', [
      record(1, 90, 'bulk'), record(2, 80, 'alarm'), record(3, 70, 'bulk'), record(4, 60, 'bulk'), record(5, 50, 'bulk'),
      record(6, 365, 'billing'), record(7, 10, 'bulk'), record(8, 29, 'alarm'),
    ], 1);
    // Two batches of two, then the run stops with one old record left for the next run.
    expect(await job.runOnce()).toEqual({ deleted: 4, batches: 2, isComplete: false });
    expect(await job.runOnce()).toEqual({ deleted: 1, batches: 1, isComplete: true });
    expect(await job.runOnce()).toEqual({ deleted: 0, batches: 1, isComplete: true });
    expect((await store.listRecords('gw-1')).map((r) => r.sequence)).toEqual([6, 7, 8]);
    expect(await deletedTotal()).toBe(5);
  });

  it('runs on start, and stop waits for the run under way', async () => {
    const { store, job } = await setUp(100, 10);
    await store.storeRecords('gw-1', [record(1, 90, 'bulk'), record(2, 90, 'billing')], 1);
    await job.start();
    await job.start();
    // The first run starts at once, with no call to runOnce().
    await waitFor('the first retention run', async () => (await store.countRecords()) === 1);
    await job.stop();
    await job.stop();
    expect((await store.listRecords('gw-1')).map((r) => r.lane)).toEqual(['billing']);
  });
});
