import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CouplerError } from '@coupler/kit';
import type { TelemetryRecord } from '../../records/index.js';
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

describe('LmdbTelemetryStore format', () => {
  it('converts a store of format 1 (a key per record) once, keeping records, counts, times and duplicates', async () => {
    const dir = tempDir();
    const old = open({ path: join(dir, 'telemetry.mdb'), maxDbs: 8 });
    const meta = old.openDB<unknown, string>({ name: 'meta' });
    await meta.put('identity', { format: 'coupler-cloud-telemetry', formatVersion: 1 });
    await meta.put('timeIndexVersion', 1);
    const records = old.openDB({ name: 'records' });
    const value = (timestampMs: number, lane: string, receivedAtMs: number) => ({
      deviceId: 'm1', timestampMs, lane, quality: 'good', values: [{ name: 'v', value: timestampMs / 7, unit: 'V' }], receivedAtMs,
    });
    await records.put(['gw-1', 1], value(2000, 'bulk', 5));
    await records.put(['gw-1', 2], value(1000, 'billing', 5));
    await records.put(['gw-1', 3], value(500, 'alarm', 6));
    await records.put(['gw-2', 1], value(7_200_000, 'bulk', 8));
    await old.openDB({ name: 'records-by-time' }).put(['gw-1', 2000, 1], { deviceId: 'm1', lane: 'bulk' });
    await old.openDB({ name: 'gateways' }).put('gw-1', { lastSeenMs: 6, records: 3 });
    await old.openDB({ name: 'gateways' }).put('gw-2', { lastSeenMs: 8, records: 1 });
    await old.close();

    const store = createLmdbTelemetryStore({ dataDir: dir });
    onTestFinished(() => store.close());
    await store.open();
    const stored = (sequence: number, timestampMs: number, lane: string, receivedAtMs: number) => ({ gatewayId: 'gw-1', sequence, ...value(timestampMs, lane, receivedAtMs) });
    expect(await store.listRecords('gw-1')).toEqual([stored(1, 2000, 'bulk', 5), stored(2, 1000, 'billing', 5), stored(3, 500, 'alarm', 6)]);
    expect((await store.queryRecords('gw-1', { fromMs: 0, toMs: 5000, limit: 10 })).map((r) => r.sequence)).toEqual([3, 2, 1]);
    expect(await store.highestSequence('gw-2')).toBe(1);
    expect(await store.listGateways()).toEqual([
      { gatewayId: 'gw-1', lastSeenMs: 6, records: 3 },
      { gatewayId: 'gw-2', lastSeenMs: 8, records: 1 },
    ]);
    const resent: TelemetryRecord = { sequence: 3, deviceId: 'm1', timestampMs: 500, lane: 'alarm', quality: 'good', values: [{ name: 'v', value: 500 / 7, unit: 'V' }] };
    expect(await store.storeRecords('gw-1', [resent, { ...resent, sequence: 4 }], 9)).toEqual({ stored: 1, duplicates: 1, conflicting: [], highestSequence: 4 });
    expect(await store.deleteRawRecordsBefore(5000, 10)).toBe(3);
    expect((await store.listRecords('gw-1')).map((r) => r.sequence)).toEqual([2]);
    await store.close();

    const reopened = open({ path: join(dir, 'telemetry.mdb'), maxDbs: 16 });
    onTestFinished(() => reopened.close());
    expect(reopened.openDB<unknown, string>({ name: 'meta' }).get('identity')).toEqual({ format: 'coupler-cloud-telemetry', formatVersion: 2 });
    expect(Array.from(reopened.openDB({ name: 'records' }).getKeys())).toEqual([]);
  });

  it('refuses a store of a format it does not know, naming it and what to do', async () => {
    const dir = tempDir();
    const newer = open({ path: join(dir, 'telemetry.mdb'), maxDbs: 2 });
    await newer.openDB({ name: 'meta' }).put('identity', { format: 'coupler-cloud-telemetry', formatVersion: 3 });
    await newer.close();
    const store = createLmdbTelemetryStore({ dataDir: dir });
    const error = await store.open().then(() => undefined, (err: unknown) => err);
    expect(error).toMatchObject({ code: 'CPL_ERR_STORE_OPEN' });
    expect((error as Error).message).toContain('has format 3, this version reads format 2');
    expect((error as Error).message).toContain('open it with the Coupler version that wrote it, or move the folder away');
    expect(store.isOpen()).toBe(false);
  });
});
