import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Reading } from '../records/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { open } from 'lmdb';
import { LmdbBuffer } from './lmdb-buffer.js';
import { encodeRecord } from './wire-record.js';

function reading(value: number, deviceId = 'meter-1'): Reading {
  return { deviceId, timestampMs: 1_700_000_000_000 + value, quality: 'good', lane: 'bulk', values: [{ name: 'voltageL1', value, unit: 'V' }] };
}

function openBuffer(dataDir: string, gatewayId = 'gw-1'): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId, quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

describe('LmdbBuffer', () => {
  it('numbers records from 1 in arrival order and keeps them across a reopen', async () => {
    const dir = tempDir();
    const first = openBuffer(dir);
    const stored = await Promise.all([first.append([reading(1), reading(2)]), first.append([reading(3)])]);
    expect(stored.flat().map((r) => r.sequence)).toEqual([1, 2, 3]);
    await first.close();

    const again = openBuffer(dir);
    expect(again.recordsAfter('bulk', 0, 10).map((r) => [r.sequence, r.values[0]?.value])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(again.stats()).toMatchObject({ records: 3, firstSequence: 1, oldestTimestampMs: 1_700_000_000_001 });
    expect(again.stats().bytes).toBeGreaterThanOrEqual(4096);
  });

  it('never reuses a sequence number, even after every record was acknowledged', async () => {
    const dir = tempDir();
    const first = openBuffer(dir);
    await first.append([reading(1), reading(2)]);
    expect(await first.acknowledge([{ first: 1, last: 2 }])).toBe(2);
    await first.close();

    const again = openBuffer(dir);
    expect(again.stats().records).toBe(0);
    const [next] = await again.append([reading(3)]);
    expect(next?.sequence).toBe(3);
  });

  it('deletes exactly the acknowledged ranges and pages through the rest', async () => {
    const buffer = openBuffer(tempDir());
    await buffer.append([1, 2, 3, 4, 5, 6].map((v) => reading(v)));
    await buffer.acknowledge([{ first: 2, last: 3 }, { first: 5, last: 5 }]);
    expect(buffer.recordsAfter('bulk', 0, 10).map((r) => r.sequence)).toEqual([1, 4, 6]);
    expect(buffer.recordsAfter('bulk', 1, 1).map((r) => r.sequence)).toEqual([4]);
  });

  it('refuses a data folder that belongs to another gateway and leaves it untouched', async () => {
    const dir = tempDir();
    const theirs = openBuffer(dir, 'gw-other');
    await theirs.append([reading(1)]);
    await theirs.close();
    const before = readFileSync(join(dir, 'buffer.mdb'));

    const ours = new LmdbBuffer({ dataDir: dir, gatewayId: 'gw-1', quotaBytes: 1 << 30 });
    expect(() => { ours.open(); }).toThrow(/belongs to gateway gw-other, not gateway gw-1; it was left untouched/);
    expect(readFileSync(join(dir, 'buffer.mdb')).equals(before)).toBe(true);
  });

  it('refuses a file that is not an LMDB environment with a clear error and does not delete it', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(join(dir, 'buffer.mdb'), garbage);
    const buffer = new LmdbBuffer({ dataDir: dir, gatewayId: 'gw-1', quotaBytes: 1 << 30 });
    let error: unknown;
    try {
      buffer.open();
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'CPL_ERR_BUFFER_OPEN', message: expect.stringMatching(/cannot open the buffer at .*buffer\.mdb: .*left as it is/) as unknown });
    expect(existsSync(join(dir, 'buffer.mdb'))).toBe(true);
    expect(readFileSync(join(dir, 'buffer.mdb')).subarray(0, 4096).equals(garbage.subarray(0, 4096))).toBe(true);
  });

  it('tells listeners after records are durable', async () => {
    const buffer = openBuffer(tempDir());
    let seen = -1;
    buffer.onAppended(() => {
      seen = buffer.stats().records;
    });
    await buffer.append([reading(1), reading(2)]);
    expect(seen).toBe(2);
  });

  it('reads and writes the same bytes as lmdb\'s binary encoding, the one earlier builds used', async () => {
    const dir = tempDir();
    const buffer = openBuffer(dir);
    await buffer.append([reading(1), reading(2)]);
    await buffer.close();
    const raw = open({ path: join(dir, 'buffer.mdb'), maxDbs: 8 });
    const bulk = raw.openDB<Buffer, number>({ name: 'lane-bulk', encoding: 'binary' });
    expect(Array.from(bulk.getRange({}), ({ key, value }) => [key, value])).toEqual([1, 2].map((n) => [n, Buffer.from(encodeRecord({ ...reading(n), sequence: n }))]));
    await bulk.put(3, Buffer.from(encodeRecord({ ...reading(3), sequence: 3 })));
    await raw.close();

    const again = openBuffer(dir);
    expect(again.recordsAfter('bulk', 0, 10).map((r) => [r.sequence, r.values[0]?.value])).toEqual([[1, 1], [2, 2], [3, 3]]);
  });
});
