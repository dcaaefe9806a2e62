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
