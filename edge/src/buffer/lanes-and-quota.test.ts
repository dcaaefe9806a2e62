import { describe, expect, it, onTestFinished } from 'vitest';
import type { Lane, Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LmdbBuffer } from './lmdb-buffer.js';

const PAYLOAD = 'x'.repeat(400);

function reading(lane: Lane, n: number): Reading {
  return { deviceId: `dev-${lane}`, timestampMs: 1_700_000_000_000 + n, quality: 'good', lane, values: [{ name: PAYLOAD, value: n, unit: '' }] };
}

function openBuffer(quotaBytes: number, dataDir = tempDir()): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-q', quotaBytes });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

describe('buffer lanes', () => {
  it('keeps each lane in arrival order under one sequence space', async () => {
    const buffer = openBuffer(1 << 30);
    await buffer.append([reading('bulk', 1), reading('billing', 2), reading('alarm', 3), reading('bulk', 4), reading('billing', 5)]);
    expect(buffer.recordsAfter('billing', 0, 10).map((r) => r.sequence)).toEqual([2, 5]);
    expect(buffer.recordsAfter('alarm', 0, 10).map((r) => r.sequence)).toEqual([3]);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.sequence)).toEqual([1, 4]);
    expect(buffer.stats()).toMatchObject({ records: 5, firstSequence: 1, lanes: { billing: { records: 2 }, alarm: { records: 1 }, bulk: { records: 2 } } });
    await buffer.acknowledge([{ first: 1, last: 3 }]);
    expect(buffer.stats()).toMatchObject({ records: 2, firstSequence: 4 });
  });
});

describe('buffer quota and drop policy', () => {
  it('drops the oldest bulk records first, keeps every billing and alarm record, and counts each drop', async () => {
    const quotaBytes = 1_048_576;
    const buffer = openBuffer(quotaBytes);
    const drops: number[] = [];
    buffer.onDropped((lane, count) => {
      expect(lane).toBe('bulk');
      drops.push(count);
    });
    let n = 0;
    // Write about 3 MB: three times the quota, a billing and an alarm record in every ten.
    for (let batch = 0; batch < 60; batch++) {
      const readings: Reading[] = [];
      for (let i = 0; i < 100; i++) {
        n++;
        readings.push(reading(n % 10 === 0 ? 'billing' : n % 10 === 5 ? 'alarm' : 'bulk', n));
      }
      await buffer.append(readings);
    }

    const stats = buffer.stats();
    const billing = buffer.recordsAfter('billing', 0, 10_000);
    const alarm = buffer.recordsAfter('alarm', 0, 10_000);
    const bulk = buffer.recordsAfter('bulk', 0, 10_000);
    expect(billing).toHaveLength(600);
    expect(alarm).toHaveLength(600);
    // What is left of bulk is the newest: one unbroken tail ending at the last bulk record.
    const bulkWritten = 6000 - 1200;
    const dropped = drops.reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(bulk).toHaveLength(bulkWritten - dropped);
    expect(bulk.at(-1)?.sequence).toBe(5999);
    const allBulk = Array.from({ length: 6000 }, (_, i) => i + 1).filter((s) => s % 10 !== 0 && s % 10 !== 5);
    expect(bulk.map((r) => r.sequence)).toEqual(allBulk.slice(dropped));
    expect(stats.lanes.bulk.droppedTotal).toBe(dropped);
    expect(stats.lanes.billing.droppedTotal).toBe(0);
    expect(stats.bytes).toBeLessThanOrEqual(quotaBytes);
  });

  it('never drops billing or alarm records, even when they alone pass the quota', async () => {
    const buffer = openBuffer(1_048_576);
    for (let batch = 0; batch < 40; batch++) {
      await buffer.append(Array.from({ length: 100 }, (_, i) => reading(i % 2 ? 'billing' : 'alarm', batch * 100 + i)));
    }
    expect(buffer.stats()).toMatchObject({ records: 4000, lanes: { billing: { droppedTotal: 0 }, alarm: { droppedTotal: 0 } } });
    expect(buffer.stats().bytes).toBeGreaterThan(1_048_576);
  });

  it('keeps the drop count across a restart', async () => {
    const dataDir = tempDir();
    const first = openBuffer(1_048_576, dataDir);
    for (let batch = 0; batch < 40; batch++) await first.append(Array.from({ length: 100 }, (_, i) => reading('bulk', batch * 100 + i)));
    const dropped = first.stats().lanes.bulk.droppedTotal;
    expect(dropped).toBeGreaterThan(0);
    await first.close();
    expect(openBuffer(1_048_576, dataDir).stats().lanes.bulk.droppedTotal).toBe(dropped);
  });
});
