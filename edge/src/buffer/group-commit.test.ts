import { describe, expect, it, onTestFinished } from 'vitest';
import type { Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LmdbBuffer } from './lmdb-buffer.js';

function reading(n: number, name = 'voltageL1'): Reading {
  return { deviceId: 'meter-1', timestampMs: 1_700_000_000_000 + n, quality: 'good', lane: 'bulk', values: [{ name, value: n, unit: 'V' }] };
}

function openBuffer(dataDir: string, quotaBytes = 1 << 30, commitIntervalMs = 0): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-g', quotaBytes, commitIntervalMs });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

/** appendOne as a promise, for the tests: the bus uses the callback itself. */
function appendOne(buffer: LmdbBuffer, each: Reading): Promise<void> {
  return new Promise((resolve, reject) => {
    buffer.appendOne(each, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}

describe('group commit', () => {
  it('tells each appendOne caller once its record is stored, in sequence order with append()', async () => {
    const buffer = openBuffer(tempDir());
    const order: string[] = [];
    const first = appendOne(buffer, reading(1)).then(() => order.push('one'));
    const many = buffer.append([reading(2), reading(3)]).then(() => order.push('many'));
    const last = appendOne(buffer, reading(4)).then(() => order.push('last'));
    await Promise.all([first, many, last]);
    expect(order).toEqual(['one', 'many', 'last']);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => [r.sequence, r.values[0]?.value])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
  });

  it('commits what arrives during a running commit in the next group, and close() waits for both', async () => {
    const dir = tempDir();
    const buffer = openBuffer(dir);
    const settled: (Error | null)[] = [];
    // The first group starts on the next turn; the second arrives while it is being written.
    for (let n = 1; n <= 100; n++) buffer.appendOne(reading(n), (err) => settled.push(err));
    await new Promise((resolve) => setImmediate(resolve));
    for (let n = 101; n <= 200; n++) buffer.appendOne(reading(n), (err) => settled.push(err));
    await buffer.close();
    expect(settled).toHaveLength(200);
    expect(settled.every((err) => err === null)).toBe(true);

    const again = openBuffer(dir);
    const stored = again.recordsAfter('bulk', 0, 1000);
    expect(stored.map((r) => r.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('holds the quota when records come one per commit (the quota is measured only near it)', async () => {
    const quotaBytes = 131_072;
    const buffer = openBuffer(tempDir(), quotaBytes);
    let dropped = 0;
    buffer.onDropped((_lane, count) => (dropped += count));
    const name = 'n'.repeat(60);
    // About 600 kB of 300-byte records, each in a commit of its own: over four times the quota.
    for (let n = 1; n <= 2000; n++) await appendOne(buffer, { ...reading(n), values: [1, 2, 3].map((i) => ({ name: `${name}${i}`, value: n, unit: 'kWh' })) });
    expect(dropped).toBeGreaterThan(0);
    expect(buffer.stats().bytes).toBeLessThanOrEqual(quotaBytes);
  });

  describe('commit coalescing (decision 0018)', () => {
    it('starts the group after a shared one no sooner than commitIntervalMs after it, with all that came meanwhile', { timeout: 20_000 }, async () => {
      const intervalMs = 300;
      const buffer = openBuffer(tempDir(), 1 << 30, intervalMs);
      let groups = 0;
      buffer.onAppended(() => (groups += 1));
      const firstStartedAt = performance.now();
      await Promise.all([appendOne(buffer, reading(1)), appendOne(buffer, reading(2))]);
      expect(groups).toBe(1);
      const late = [appendOne(buffer, reading(3))];
      await new Promise((resolve) => setImmediate(resolve));
      late.push(appendOne(buffer, reading(4)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      late.push(buffer.append([reading(5)]).then(() => undefined));
      await Promise.all(late);
      expect(performance.now() - firstStartedAt).toBeGreaterThanOrEqual(intervalMs - 1);
      expect(groups).toBe(2);
      expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    });

    it('never makes a lone appender that waits for each commit wait for the interval', { timeout: 20_000 }, async () => {
      const buffer = openBuffer(tempDir(), 1 << 30, 60_000);
      let groups = 0;
      buffer.onAppended(() => (groups += 1));
      for (let n = 1; n <= 5; n++) await appendOne(buffer, reading(n));
      expect(groups).toBe(5);
    });

    it('commits a waiting group at once on close()', { timeout: 20_000 }, async () => {
      const dir = tempDir();
      const buffer = new LmdbBuffer({ dataDir: dir, gatewayId: 'gw-g', quotaBytes: 1 << 30, commitIntervalMs: 60_000 });
      buffer.open();
      await Promise.all([appendOne(buffer, reading(1)), appendOne(buffer, reading(2))]);
      const settled: (Error | null)[] = [];
      buffer.appendOne(reading(3), (err) => settled.push(err));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toEqual([]);
      await buffer.close();
      expect(settled).toEqual([null]);
      const again = openBuffer(dir);
      expect(again.recordsAfter('bulk', 0, 10).map((r) => r.sequence)).toEqual([1, 2, 3]);
    });
  });
});
