import { describe, expect, it, onTestFinished } from 'vitest';
import type { Lane, Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LmdbBuffer } from './lmdb-buffer.js';

function reading(lane: Lane, n: number): Reading {
  return { deviceId: `dev-${lane}`, timestampMs: 1_700_000_000_000 + n, quality: 'good', lane, values: [{ name: 'v', value: n, unit: '' }] };
}

function openBuffer(dataDir = tempDir()): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-a', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

/** Sequences 1..12: every third a billing record (3, 6, 9, 12), the rest bulk. */
async function interleaved(buffer: LmdbBuffer): Promise<void> {
  await buffer.append(Array.from({ length: 12 }, (_, i) => reading((i + 1) % 3 === 0 ? 'billing' : 'bulk', i + 1)));
}

const sequences = (buffer: LmdbBuffer, lane: Lane) => buffer.recordsAfter(lane, 0, 100).map((r) => r.sequence);

describe('deleting acknowledged records', () => {
  it('with the batch lane given, deletes only the ranges in that lane, leaving the gaps and the other lanes', async () => {
    const buffer = openBuffer();
    await interleaved(buffer);
    // A bulk batch of 1..11 acknowledged as the cloud sends it (runs split by billing), 7 not stored.
    expect(await buffer.acknowledge([{ first: 1, last: 2 }, { first: 4, last: 5 }, { first: 8, last: 8 }, { first: 10, last: 11 }], 'bulk')).toBe(7);
    expect(sequences(buffer, 'bulk')).toEqual([7]);
    expect(sequences(buffer, 'billing')).toEqual([3, 6, 9, 12]);
    // Ranges in any order; a sequence of another lane inside them stays.
    expect(await buffer.acknowledge([{ first: 9, last: 12 }, { first: 3, last: 6 }], 'billing')).toBe(4);
    expect(sequences(buffer, 'billing')).toEqual([]);
    expect(buffer.stats()).toMatchObject({ records: 1, firstSequence: 7 });
  });

  it('groups deletions asked for while one commits, each told its own count, all durable across a reopen', async () => {
    const dir = tempDir();
    const buffer = new LmdbBuffer({ dataDir: dir, gatewayId: 'gw-a', quotaBytes: 1 << 30 });
    buffer.open();
    await interleaved(buffer);
    const counts = await Promise.all([
      buffer.acknowledge([{ first: 1, last: 2 }], 'bulk'),
      buffer.acknowledge([{ first: 3, last: 3 }, { first: 6, last: 6 }], 'billing'),
      buffer.acknowledge([{ first: 4, last: 5 }, { first: 7, last: 8 }], 'bulk'),
      buffer.acknowledge([{ first: 9, last: 12 }]),
    ]);
    expect(counts).toEqual([2, 2, 4, 4]);
    await buffer.close();

    const again = openBuffer(dir);
    expect(again.stats().records).toBe(0);
  });

  it('close() waits for the deletions asked for before it', async () => {
    const dir = tempDir();
    const buffer = new LmdbBuffer({ dataDir: dir, gatewayId: 'gw-a', quotaBytes: 1 << 30 });
    buffer.open();
    await interleaved(buffer);
    const deleted = buffer.acknowledge([{ first: 1, last: 12 }]);
    await buffer.close();
    expect(await deleted).toBe(12);
    expect(openBuffer(dir).stats().records).toBe(0);
  });

  it('rejects, rather than throws, once the buffer is closed', async () => {
    const buffer = openBuffer();
    await buffer.close();
    const deleted = buffer.acknowledge([{ first: 1, last: 1 }], 'bulk');
    await expect(deleted).rejects.toThrow('buffer is not open');
  });
});
