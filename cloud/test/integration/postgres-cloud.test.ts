import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '@coupler/kit';
import type { WireRecord } from '@coupler/proto';
import { loadCloudConfig } from '../../src/config/index.js';
import { createCloud } from '../../src/service.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/index.js';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { createDatabase, sql, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { startCloud } from '../helpers/start-cloud.js';

const GATEWAY_ID = 'train-7.car-2';

let server: RunningPostgres;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server.close();
});

function wireRecord(sequence: number): WireRecord {
  return {
    sequence,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000 + sequence * 1000,
    lane: 'LANE_BILLING',
    quality: 'QUALITY_GOOD',
    values: [{ name: 'importActiveEnergy', value: 1000 + sequence / 4, unit: 'kWh' }],
  };
}

function batch(batchId: number, sequences: readonly number[]) {
  return { batch: { batchId, records: sequences.map(wireRecord) } };
}

const postgresEnv = (url: string) => ({
  COUPLER_STORE_KIND: 'postgres',
  COUPLER_STORE_POSTGRES_URL: url,
});

describe('cloud with the PostgreSQL store', () => {
  it('acknowledges a batch once it is committed to PostgreSQL', async () => {
    const url = await createDatabase(server.url);
    const { cloud, grpcAddress, httpUrl } = await startCloud({ env: postgresEnv(url) });
    const stream = openSync(syncClient(grpcAddress));
    stream.send({ hello: { gatewayId: GATEWAY_ID } });
    stream.send(batch(1, [1, 2, 3]));
    expect(await stream.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 1, last: 3 }] },
    });
    // Read on a connection of our own: what the acknowledgement promised is in the database.
    expect(
      await sql(
        url,
        'SELECT sequence::int, lane FROM telemetry_records WHERE gateway_id = $1 ORDER BY 1',
        [GATEWAY_ID],
      ),
    ).toEqual([
      { sequence: 1, lane: 'billing' },
      { sequence: 2, lane: 'billing' },
      { sequence: 3, lane: 'billing' },
    ]);
    expect((await stream.end()).code).toBe(status.OK);
    expect((await cloud.store.listRecords(GATEWAY_ID))[2]).toMatchObject({
      sequence: 3,
      values: [{ name: 'importActiveEnergy', value: 1000.75, unit: 'kWh' }],
    });
    const ready = await fetch(`${httpUrl}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('stores each record once when a gateway moves to another cloud process and resends', async () => {
    const url = await createDatabase(server.url);
    const first = await startCloud({ env: postgresEnv(url) });
    const second = await startCloud({ env: postgresEnv(url) });
    const a = openSync(syncClient(first.grpcAddress));
    a.send({ hello: { gatewayId: GATEWAY_ID } });
    a.send(batch(1, [1, 2, 3]));
    a.send(batch(2, [4, 5, 6]));
    expect(await a.next()).toMatchObject({ ack: { batchId: 1 } });
    // The link drops before the second acknowledgement is read; the load balancer sends the
    // gateway to the other process, and it resends everything not acknowledged.
    a.call.cancel();
    const b = openSync(syncClient(second.grpcAddress));
    b.send({ hello: { gatewayId: GATEWAY_ID } });
    b.send(batch(1, [4, 5, 6, 7]));
    expect(await b.next()).toMatchObject({
      ack: { batchId: 1, stored: [{ first: 4, last: 7 }] },
    });
    expect((await b.end()).code).toBe(status.OK);
    for (const { cloud } of [first, second]) {
      expect(await cloud.store.countRecords(GATEWAY_ID)).toBe(7);
      expect((await cloud.store.listRecords(GATEWAY_ID)).map((r) => r.sequence)).toEqual([
        1, 2, 3, 4, 5, 6, 7,
      ]);
    }
  });

  it('refuses to start on a database newer than this code, naming it', async () => {
    const url = await createDatabase(server.url);
    await sql(
      url,
      "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version, name) VALUES (999, 'future')",
    );
    const config = loadCloudConfig({
      env: { COUPLER_GRPC_PORT: '0', COUPLER_GRPC_TLS: 'insecure', COUPLER_HTTP_PORT: '0', ...postgresEnv(url) },
    });
    const cloud = createCloud(config, { logger: createLogger({ name: 'test', level: 'silent' }) });
    await expect(cloud.start()).rejects.toMatchObject({
      code: 'CPL_ERR_STORE_OPEN',
      message: expect.stringContaining(
        `the database schema is version 999, newer than this Coupler knows (${LATEST_SCHEMA_VERSION})`,
      ) as unknown,
    });
    expect(cloud.grpcPort()).toBe(0);
    expect(cloud.store.isOpen()).toBe(false);
  });
});

describe('store configuration', () => {
  it('defaults to the embedded LMDB store, with no database URL', () => {
    expect(loadCloudConfig({ env: {} }).store).toEqual({ kind: 'lmdb', postgresUrl: '' });
  });

  it('takes the PostgreSQL store from COUPLER_STORE_* variables', () => {
    expect(loadCloudConfig({ env: postgresEnv('postgres://coupler@db:5432/fleet') }).store).toEqual(
      { kind: 'postgres', postgresUrl: 'postgres://coupler@db:5432/fleet' },
    );
  });

  it('names a PostgreSQL store without a URL, or with a URL that is not one', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadCloudConfig({ env });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(problems({ COUPLER_STORE_KIND: 'postgres' })).toContain(
      'store.postgresUrl: is required',
    );
    expect(problems(postgresEnv('mysql://db/fleet'))).toContain(
      'store.postgresUrl: must match pattern "^postgres(ql)?://[^/]+/.+" (got "mysql://db/fleet")',
    );
    expect(problems({ COUPLER_STORE_KIND: 'sqlite' })).toContain(
      'store.kind: must be one of "lmdb", "postgres" (got "sqlite")',
    );
  });
});
