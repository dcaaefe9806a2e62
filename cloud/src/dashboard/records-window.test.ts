import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TelemetryRecord } from '../records/index.js';
import { createLmdbTelemetryStore } from '../store/index.js';
import { readNewestRecords, readRecordsInRange } from './records-window.js';

async function storeWith(sequences: number[], deviceOf: (sequence: number) => string = () => 'm1') {
  const dataDir = mkdtempSync(join(tmpdir(), 'coupler-window-'));
  const store = createLmdbTelemetryStore({ dataDir });
  await store.open();
  onTestFinished(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const records = sequences.map((sequence): TelemetryRecord => ({
    sequence,
    deviceId: deviceOf(sequence),
    timestampMs: sequence,
    lane: 'bulk',
    quality: 'good',
    values: [],
  }));
  await store.storeRecords('g', records, 0);
  return store;
}

describe('readNewestRecords', () => {
  it('reads the newest records of a gateway, however sparse its sequences, and says when older ones were left out', async () => {
    const sparse = [
      ...Array.from({ length: 10 }, (_, i) => i + 1),
      ...Array.from({ length: 20 }, (_, i) => 1000 + i),
    ];
    const store = await storeWith(sparse);
    const window = await readNewestRecords(store, 'g', 12);
    expect(window.records.map((r) => r.sequence)).toEqual(
      Array.from({ length: 12 }, (_, i) => 1008 + i),
    );
    expect(window.isTruncated).toBe(true);

    const all = await readNewestRecords(store, 'g', 100);
    expect(all.records).toHaveLength(30);
    expect(all.isTruncated).toBe(false);
  });
});

describe('readRecordsInRange', () => {
  it('reads one device\'s records of a time range page by page through the time index, and ends early past its bound', async () => {
    // Two meters interleaved, 12,000 records each: more than two pages of the range.
    const store = await storeWith(Array.from({ length: 24_000 }, (_, i) => i + 1), (s) => (s % 2 === 0 ? 'm1' : 'm2'));
    const range = { fromMs: 2_001, toMs: 16_001, deviceId: 'm1' };
    const all = await readRecordsInRange(store, 'g', range, 10_000);
    expect(all.isTruncated).toBe(false);
    expect(all.records).toHaveLength(7_000);
    expect(all.records.every((r) => r.deviceId === 'm1')).toBe(true);
    expect([all.records[0]?.timestampMs, all.records.at(-1)?.timestampMs]).toEqual([2_002, 16_000]);

    const bounded = await readRecordsInRange(store, 'g', range, 6_000);
    expect(bounded.isTruncated).toBe(true);
    expect(bounded.records).toHaveLength(6_000);
    expect(bounded.records.at(-1)?.timestampMs).toBe(14_000);

    const exact = await readRecordsInRange(store, 'g', range, 7_000);
    expect(exact).toMatchObject({ isTruncated: false });
    expect(exact.records).toHaveLength(7_000);
  });
});
