import { describe, expect, it, onTestFinished } from 'vitest';
import type { Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LmdbBuffer } from './lmdb-buffer.js';

function reading(value: number): Reading {
  return { deviceId: 'arduino-1', timestampMs: 1_700_000_000_000 + value, quality: 'good', lane: 'bulk', values: [{ name: 'a0', value, unit: '' }] };
}

function openBuffer(dataDir: string): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-1', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

const sourced = (...positions: number[]) => positions.map((position) => ({ position, reading: reading(position) }));

describe('LmdbBuffer.appendFromSource (readings a device numbers itself)', () => {
  it('stores a resent reading once, also after the buffer was closed and opened again', async () => {
    const dir = tempDir();
    const first = openBuffer(dir);
    expect(await first.appendFromSource('arduino:a1', sourced(1, 2, 3))).toMatchObject({ duplicates: 0, records: [{ sequence: 1 }, { sequence: 2 }, { sequence: 3 }] });
    expect(await first.appendFromSource('arduino:a1', sourced(2, 3, 4))).toMatchObject({ duplicates: 2, records: [{ sequence: 4, values: [{ value: 4 }] }] });
    await first.close();

    const again = openBuffer(dir);
    expect(again.lastSourcePosition('arduino:a1')).toBe(4);
    expect(await again.appendFromSource('arduino:a1', sourced(3, 4))).toEqual({ duplicates: 2, records: [] });
    expect(again.recordsAfter('bulk', 0, 10).map((r) => r.values[0]?.value)).toEqual([1, 2, 3, 4]);
  });

  it('keeps sources apart and accepts a jump to a later position (a new boot)', async () => {
    const buffer = openBuffer(tempDir());
    await buffer.appendFromSource('arduino:a1', sourced(7));
    const later = 2 * 2 ** 32 + 1;
    expect((await buffer.appendFromSource('arduino:a2', sourced(7))).duplicates).toBe(0);
    expect((await buffer.appendFromSource('arduino:a1', sourced(later))).duplicates).toBe(0);
    expect(buffer.lastSourcePosition('arduino:a1')).toBe(later);
    expect(buffer.lastSourcePosition('arduino:unknown')).toBeUndefined();
  });

  it('refuses a second append from the same source while one is in flight', async () => {
    const buffer = openBuffer(tempDir());
    const inFlight = buffer.appendFromSource('arduino:a1', sourced(1));
    await expect(buffer.appendFromSource('arduino:a1', sourced(2))).rejects.toThrow('an append from source arduino:a1 is already in flight');
    await inFlight;
  });
});
