import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { decodeWireRecord } from '@coupler/proto';
import type { Lane, Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LmdbBuffer } from './lmdb-buffer.js';

function reading(value: number, lane: Lane = 'bulk'): Reading {
  return { deviceId: 'meter-1', timestampMs: 1_700_000_000_000 + value, quality: 'good', lane, values: [{ name: 'n', value, unit: '' }] };
}

function openBuffer(dataDir: string): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-1', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

/** [sequence, value] of a lane, read back from the wire bytes the sync stream would send. */
function held(buffer: LmdbBuffer, lane: Lane): [number, number | undefined][] {
  return buffer.encodedAfter(lane, 0, 100).map(({ sequence, bytes }) => {
    const wire = decodeWireRecord(bytes);
    // The sequence inside the bytes is the one the cloud de-duplicates on: it must match the key.
    expect(wire.sequence).toBe(sequence);
    return [sequence, wire.values[0]?.value];
  });
}

describe('LmdbBuffer after its sequence counter went backwards', () => {
  it('moves the counter above the cloud\'s highest stored sequence, durably, and only forwards', async () => {
    const dir = tempDir();
    const buffer = openBuffer(dir);
    await buffer.append([reading(1), reading(2)]);
    // The cloud holding what this buffer numbered is the normal case.
    expect(await buffer.advanceSequence(2)).toBe(false);
    expect(await buffer.advanceSequence(40)).toBe(true);
    expect(await buffer.advanceSequence(40)).toBe(false);
    expect(await buffer.advanceSequence(7)).toBe(false);
    expect((await buffer.append([reading(3)]))[0]?.sequence).toBe(41);
    await buffer.close();
    expect((await openBuffer(dir).append([reading(4)]))[0]?.sequence).toBe(42);
  });

  it('renumbers the colliding records above the cloud and the counter, in order within each lane, re-encoded', async () => {
    const dir = tempDir();
    const buffer = openBuffer(dir);
    // 1..6 across lanes; the cloud holds other records under 2..5 and up to 20.
    await buffer.append([reading(1), reading(2, 'billing'), reading(3), reading(4, 'billing'), reading(5), reading(6)]);
    const appended: number[] = [];
    buffer.onAppended(() => appended.push(1));
    expect(await buffer.renumber([{ first: 2, last: 5 }], 20)).toEqual({ renumbered: 4, isCounterAdvanced: true });
    expect(held(buffer, 'billing')).toEqual([[21, 2], [23, 4]]);
    expect(held(buffer, 'bulk')).toEqual([[1, 1], [6, 6], [22, 3], [24, 5]]);
    expect(appended).toHaveLength(1);
    // The counter moved with them, in the same transaction: nothing new takes 21..24.
    expect((await buffer.append([reading(7)]))[0]?.sequence).toBe(25);
    await buffer.close();

    const again = openBuffer(dir);
    expect(held(again, 'bulk')).toEqual([[1, 1], [6, 6], [22, 3], [24, 5], [25, 7]]);
    expect(again.recordsAfter('billing', 0, 10)).toEqual([
      { ...reading(2, 'billing'), sequence: 21 },
      { ...reading(4, 'billing'), sequence: 23 },
    ]);
    expect((await again.append([reading(8)]))[0]?.sequence).toBe(26);
  });

  it('numbers above its own counter when that is ahead of the cloud, and skips ranges it no longer holds', async () => {
    const buffer = openBuffer(tempDir());
    await buffer.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => reading(n)));
    await buffer.acknowledge([{ first: 1, last: 1 }]);
    expect(await buffer.renumber([{ first: 1, last: 2 }, { first: 4, last: 4 }], 5)).toEqual({ renumbered: 2, isCounterAdvanced: false });
    expect(held(buffer, 'bulk').map(([sequence]) => sequence)).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await buffer.renumber([{ first: 100, last: 200 }], 5)).toEqual({ renumbered: 0, isCounterAdvanced: false });
  });

  it('keeps the exactly-once positions of a source: a reading stored before is still skipped', async () => {
    const buffer = openBuffer(tempDir());
    const sourced = (...positions: number[]) => positions.map((position) => ({ position, reading: reading(position) }));
    await buffer.appendFromSource('arduino:a1', sourced(1, 2, 3));
    await buffer.renumber([{ first: 1, last: 3 }], 10);
    expect(await buffer.appendFromSource('arduino:a1', sourced(2, 3, 4))).toMatchObject({ duplicates: 2, records: [{ sequence: 14 }] });
    expect(held(buffer, 'bulk')).toEqual([[11, 1], [12, 2], [13, 3], [14, 4]]);
  });

  it('numbers records restored from a backup after those numbered since: the restored counter is behind', async () => {
    const dir = tempDir();
    const buffer = openBuffer(join(dir, 'live'));
    await buffer.append([reading(1), reading(2)]);
    await buffer.close();
    cpSync(join(dir, 'live'), join(dir, 'backup'), { recursive: true });
    const live = openBuffer(join(dir, 'live'));
    await live.append([reading(3), reading(4)]);
    await live.acknowledge([{ first: 1, last: 4 }]);
    await live.close();

    // The backup comes back: its counter says 3, the cloud holds 1..4.
    const restored = openBuffer(join(dir, 'backup'));
    const [fresh] = await restored.append([reading(5)]);
    expect(fresh?.sequence).toBe(3);
    expect(await restored.renumber([{ first: 3, last: 3 }], 4)).toEqual({ renumbered: 1, isCounterAdvanced: true });
    expect(held(restored, 'bulk')).toEqual([[1, 1], [2, 2], [5, 5]]);
  });
});
