import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TelemetryRecord } from '../records/index.js';
import { createLmdbTelemetryStore } from '../store/index.js';
import { readNewestRecords } from './records-window.js';

async function storeWith(sequences: number[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'coupler-window-'));
  const store = createLmdbTelemetryStore({ dataDir });
  await store.open();
  onTestFinished(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const records = sequences.map((sequence): TelemetryRecord => ({
    sequence,
    deviceId: 'm1',
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
