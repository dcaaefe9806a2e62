// The backup and restore of docs/operations.md on a real cluster: pg_dump -Fc while the cloud
// runs, pg_restore --clean --if-exists over the same database, and the cloud started again on
// it keeps each record once when the gateway resends.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { status } from '@grpc/grpc-js';
import type { WireRecord } from '@coupler/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { createDatabase, sql, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir } from '../helpers/wait.js';

const run = promisify(execFile);
const GATEWAY_ID = 'train-9.car-1';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.close();
});

function batch(batchId: number, sequences: readonly number[]): { batch: { batchId: number; records: WireRecord[] } } {
  const records = sequences.map((sequence): WireRecord => ({
    sequence,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000 + sequence * 300_000,
    lane: 'LANE_BILLING',
    quality: 'QUALITY_GOOD',
    values: [{ name: 'importActiveEnergy', value: 500 + sequence, unit: 'kWh' }],
  }));
  return { batch: { batchId, records } };
}

async function storedSequences(url: string): Promise<number[]> {
  const rows = await sql<{ sequence: number }>(url, 'SELECT sequence::int AS sequence FROM telemetry_records WHERE gateway_id = $1 ORDER BY 1', [GATEWAY_ID]);
  return rows.map((row) => row.sequence);
}

describe('PostgreSQL backup and restore (docs/operations.md)', () => {
  it('restores a dump taken while the cloud ran; the restarted cloud stores resent records once', async () => {
    const url = await createDatabase(server.url);
    const dump = join(tempDir(), 'coupler.dump');

    const first = await startCloud({ env: { COUPLER_STORE_KIND: 'postgres', COUPLER_STORE_POSTGRES_URL: url } });
    const stream = openSync(syncClient(first.grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2, 3]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 1 } });
    const migrations = await sql(url, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, url], { timeout: 60_000 });
    // Stored after the dump: lost by the restore, resent by the gateway below.
    stream.send(batch(2, [4, 5]));
    expect(await stream.next()).toMatchObject({ ack: { batchId: 2 } });
    expect((await stream.end()).code).toBe(status.OK);
    await first.close();

    await run('pg_restore', ['--clean', '--if-exists', `--dbname=${url}`, dump], { timeout: 60_000 });
    expect(await storedSequences(url)).toEqual([1, 2, 3]);

    const second = await startCloud({ env: { COUPLER_STORE_KIND: 'postgres', COUPLER_STORE_POSTGRES_URL: url } });
    const again = openSync(syncClient(second.grpcAddress));
    again.send({ hello: { gatewayId: GATEWAY_ID } });
    again.send(batch(1, [3, 4, 5, 6]));
    expect(await again.next()).toMatchObject({ ack: { batchId: 1 } });
    expect((await again.end()).code).toBe(status.OK);
    expect(await storedSequences(url)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await second.cloud.store.countRecords(GATEWAY_ID)).toBe(6);
    // The restored schema is recognised, not migrated again.
    expect(await sql(url, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).toEqual(migrations);
    expect(migrations.length).toBeGreaterThan(0);
  }, 90_000);
});
