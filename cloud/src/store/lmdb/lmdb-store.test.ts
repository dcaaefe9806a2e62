import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CouplerError } from '@coupler/kit';
import { describeTelemetryStoreContract } from '../contract.js';
import { createLmdbTelemetryStore } from './lmdb-store.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cloud-store-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

describeTelemetryStoreContract('lmdb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cloud-store-'));
  return Promise.resolve({
    store: createLmdbTelemetryStore({ dataDir: dir }),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});

describe('LmdbTelemetryStore open errors', () => {
  it('refuses a file that is not LMDB, names the path and leaves it untouched', async () => {
    const dir = tempDir();
    const path = join(dir, 'telemetry.mdb');
    writeFileSync(path, "not a database, but someone's data\n".repeat(10));
    const store = createLmdbTelemetryStore({ dataDir: dir });
    const error = await store.open().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CouplerError);
    expect(error).toMatchObject({ code: 'CPL_ERR_STORE_OPEN' });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('not an LMDB data file');
    expect(readFileSync(path, 'utf8')).toBe("not a database, but someone's data\n".repeat(10));
    expect(store.isOpen()).toBe(false);
  });

  it('refuses a data folder that is a file', async () => {
    const dir = tempDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const store = createLmdbTelemetryStore({ dataDir: file });
    await expect(store.open()).rejects.toMatchObject({
      code: 'CPL_ERR_STORE_OPEN',
      message: expect.stringContaining(file) as unknown,
    });
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses an LMDB environment that belongs to another program', async () => {
    const dir = tempDir();
    const other = open({ path: join(dir, 'telemetry.mdb'), maxDbs: 2 });
    await other.openDB({ name: 'meta' }).put('identity', { format: 'coupler-edge-buffer' });
    await other.close();
    const store = createLmdbTelemetryStore({ dataDir: dir });
    await expect(store.open()).rejects.toMatchObject({
      code: 'CPL_ERR_STORE_OPEN',
      message: expect.stringContaining(
        'belongs to another program (coupler-edge-buffer)',
      ) as unknown,
    });
  });
});

describe('LmdbTelemetryStore time indexes', () => {
  it('builds them once for a store written before they existed', async () => {
    const dir = tempDir();
    const old = open({ path: join(dir, 'telemetry.mdb'), maxDbs: 4 });
    await old.openDB({ name: 'meta' }).put('identity', { format: 'coupler-cloud-telemetry', formatVersion: 1 });
    const records = old.openDB({ name: 'records' });
    const value = (timestampMs: number, lane: string) => ({
      deviceId: 'm1', timestampMs, lane, quality: 'good', values: [{ name: 'v', value: 1, unit: 'V' }], receivedAtMs: 5,
    });
    await records.put(['gw-1', 1], value(2000, 'bulk'));
    await records.put(['gw-1', 2], value(1000, 'billing'));
    await records.put(['gw-1', 3], value(500, 'alarm'));
    await old.openDB({ name: 'gateways' }).put('gw-1', { lastSeenMs: 5, records: 3 });
    await old.close();

    const store = createLmdbTelemetryStore({ dataDir: dir });
    onTestFinished(() => store.close());
    await store.open();
    const found = await store.queryRecords('gw-1', { fromMs: 0, toMs: 5000, limit: 10 });
    expect(found.map((r) => r.sequence)).toEqual([3, 2, 1]);
    expect(await store.deleteRawRecordsBefore(5000, 10)).toBe(2);
    expect((await store.listRecords('gw-1')).map((r) => r.sequence)).toEqual([2]);
    expect(await store.countRecords('gw-1')).toBe(1);
  });
});
