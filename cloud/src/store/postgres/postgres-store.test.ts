import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CouplerError } from '@coupler/kit';
import {
  createDatabase,
  sql,
  startPostgres,
  type RunningPostgres,
} from '../../../test/helpers/postgres.js';
import {
  describeSharedTelemetryStoreContract,
  describeTelemetryStoreContract,
} from '../contract.js';
import { migrate } from './migrate.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { createPostgresTelemetryStore, describeDatabase } from './postgres-store.js';

let server: RunningPostgres;

beforeAll(async () => {
  server = await startPostgres();
});

// Stopping the cluster of some 40 test databases took 27 s on a loaded machine (load 9-13).
afterAll(async () => {
  await server.close();
}, 90_000);

// Each test gets its own database; the cluster goes with the file.
const noCleanup = (): Promise<void> => Promise.resolve();

describeTelemetryStoreContract('postgres', async () => ({
  store: createPostgresTelemetryStore({ connectionString: await createDatabase(server.url) }),
  cleanup: noCleanup,
}));

describeSharedTelemetryStoreContract('postgres', async () => {
  const connectionString = await createDatabase(server.url);
  return {
    store: createPostgresTelemetryStore({ connectionString }),
    openAnother: () => createPostgresTelemetryStore({ connectionString }),
    cleanup: noCleanup,
  };
});

async function openStore(connectionString: string) {
  const store = createPostgresTelemetryStore({ connectionString });
  onTestFinished(() => store.close());
  await store.open();
  return store;
}

async function openError(connectionString: string): Promise<CouplerError> {
  const store = createPostgresTelemetryStore({ connectionString, connectTimeoutMs: 2_000 });
  const error = await store.open().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CouplerError);
  expect(store.isOpen()).toBe(false);
  return error as CouplerError;
}

describe('PostgresTelemetryStore migrations', () => {
  it('records every migration it applied, and applies none twice', async () => {
    const url = await createDatabase(server.url);
    await (await openStore(url)).close();
    await openStore(url);
    const rows = await sql<{ version: number; name: string }>(
      url,
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('refuses a database newer than this code and changes nothing', async () => {
    const url = await createDatabase(server.url);
    await (await openStore(url)).close();
    const next = LATEST_SCHEMA_VERSION + 1;
    await sql(url, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      next,
      'from a newer release',
    ]);
    const error = await openError(url);
    expect(error.code).toBe('CPL_ERR_STORE_OPEN');
    expect(error.message).toBe(
      `cannot open the telemetry store at ${describeDatabase(url)}: the database schema is ` +
        `version ${next}, newer than this Coupler knows (${LATEST_SCHEMA_VERSION}); run a ` +
        `Coupler release that knows version ${next}, or point store.postgresUrl at another ` +
        'database; nothing was changed',
    );
    const rows = await sql<{ version: number }>(url, 'SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version).sort()).toEqual([...MIGRATIONS.map((m) => m.version), next]);
  });

  it("refuses a schema_migrations table that is another program's", async () => {
    const url = await createDatabase(server.url);
    // The shape Rails uses: no name column.
    await sql(
      url,
      "CREATE TABLE schema_migrations (version varchar PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101')",
    );
    const error = await openError(url);
    expect(error.code).toBe('CPL_ERR_STORE_OPEN');
    expect(error.message).toContain('its table schema_migrations belongs to another program');
    expect(await sql(url, "SELECT to_regclass('telemetry_records') AS t")).toEqual([{ t: null }]);
  });

  it('refuses a recorded migration that is not ours', async () => {
    const url = await createDatabase(server.url);
    await (await openStore(url)).close();
    await sql(url, "UPDATE schema_migrations SET name = 'someone else' WHERE version = 1");
    const error = await openError(url);
    expect(error.message).toContain(
      'schema_migrations records version 1 as "someone else", which is not a Coupler migration',
    );
  });

  it('applies pending migrations in one transaction: a failure leaves the database as it was', async () => {
    const url = await createDatabase(server.url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    onTestFinished(() => client.end());
    const broken = [
      ...MIGRATIONS,
      { version: 90, name: 'fine', sql: 'CREATE TABLE fine (x int)' },
      { version: 91, name: 'broken', sql: 'CREATE TABLE broken (x no_such_type)' },
    ];
    await expect(migrate(client, 'the test database', broken)).rejects.toMatchObject({
      code: 'CPL_ERR_STORE_OPEN',
      message: expect.stringContaining(
        'migration 91 (broken) failed: type "no_such_type" does not exist',
      ) as unknown,
    });
    const tables = await client.query(
      "SELECT to_regclass('schema_migrations') AS m, to_regclass('fine') AS f, to_regclass('telemetry_records') AS t",
    );
    expect(tables.rows).toEqual([{ m: null, f: null, t: null }]);
    expect(await migrate(client, 'the test database')).toEqual({
      applied: MIGRATIONS.map((m) => m.version),
      version: LATEST_SCHEMA_VERSION,
    });
    expect(await migrate(client, 'the test database')).toEqual({
      applied: [],
      version: LATEST_SCHEMA_VERSION,
    });
  });
});

describe('PostgresTelemetryStore open errors', () => {
  it('names the database, but never its password, when it cannot connect', async () => {
    const url = new URL(server.url);
    url.username = 'nobody';
    url.password = 's3cret-pw';
    const error = await openError(url.toString());
    expect(error.message).toMatch(
      new RegExp(
        `^cannot open the telemetry store at postgres://nobody@127\\.0\\.0\\.1:${url.port}/postgres: .*role "nobody" does not exist`,
      ),
    );
    expect(error.message).not.toContain('s3cret-pw');
    expect(JSON.stringify(error.details)).not.toContain('s3cret-pw');
  });

  it('names a database that does not exist', async () => {
    const url = new URL(server.url);
    url.pathname = '/no_such_db';
    const error = await openError(url.toString());
    expect(error.message).toContain('database "no_such_db" does not exist');
  });

  it('fails within the connect timeout when nothing listens', async () => {
    const error = await openError('postgres://postgres@127.0.0.1:1/postgres');
    expect(error.message).toContain(
      'cannot open the telemetry store at postgres://postgres@127.0.0.1:1/postgres',
    );
  });
});

describe('PostgresTelemetryStore failures after open', () => {
  const record = (sequence: number, deviceId = 'meter-1') => ({
    sequence,
    deviceId,
    timestampMs: 1,
    lane: 'bulk' as const,
    quality: 'good' as const,
    values: [],
  });

  it('refuses a whole batch when one record cannot be written', async () => {
    const url = await createDatabase(server.url);
    const store = await openStore(url);
    await store.storeRecords('gw-1', [record(1)], 1);
    // A constraint the data breaks stands in for any failure inside the statement.
    await sql(
      url,
      "ALTER TABLE telemetry_records ADD CONSTRAINT no_bad CHECK (device_id <> 'bad')",
    );
    const error = await store
      .storeRecords('gw-1', [record(2), record(3, 'bad'), record(4)], 2)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(CouplerError);
    expect(error).toMatchObject({ code: 'CPL_ERR_STORE_WRITE' });
    expect((error as Error).message).toBe(
      `cannot write to the telemetry store at ${describeDatabase(url)}: new row for relation ` +
        '"telemetry_records" violates check constraint "no_bad"',
    );
    expect((await store.listRecords('gw-1')).map((r) => r.sequence)).toEqual([1]);
    expect(await store.listGateways()).toEqual([{ gatewayId: 'gw-1', lastSeenMs: 1, records: 1 }]);
  });

  it('queues writes beyond its pool instead of failing them when the pool is slow to free a connection', async () => {
    const url = await createDatabase(server.url);
    const store = createPostgresTelemetryStore({
      connectionString: url,
      poolSize: 2,
      connectTimeoutMs: 200,
    });
    onTestFinished(() => store.close());
    await store.open();
    // Another session holds the per-gateway counts: every write waits for it, holding its connection.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    onTestFinished(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE telemetry_gateways IN SHARE ROW EXCLUSIVE MODE');
    const writes = Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.storeRecords(`gw-${i}`, [record(1), record(2)], 1)),
    );
    // Long past the connection timeout: without a queue of its own the pool fails the waiting writes.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await blocker.query('COMMIT');
    const results = await writes;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await store.countRecords()).toBe(16);
  });

  it('fails a read that takes too long, and answers the next one', async () => {
    const url = await createDatabase(server.url);
    const store = createPostgresTelemetryStore({ connectionString: url, readTimeoutMs: 300 });
    onTestFinished(() => store.close());
    await store.open();
    await store.storeRecords('gw-1', [record(1)], 1);
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    onTestFinished(() => locker.end());
    await locker.query('BEGIN; LOCK TABLE telemetry_gateways IN ACCESS EXCLUSIVE MODE');
    let error: unknown;
    try {
      await store.countRecords('gw-1');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CouplerError);
    expect(error).toMatchObject({ code: 'CPL_ERR_STORE_READ' });
    expect((error as Error).message).toMatch(
      /^cannot read the telemetry store at postgres:\/\/.*: Query read timeout$/,
    );
    await locker.query('ROLLBACK');
    expect(await store.countRecords('gw-1')).toBe(1);
  });

  it('keeps working after the server closed its connections', async () => {
    const url = await createDatabase(server.url);
    const store = await openStore(url);
    await store.storeRecords('gw-1', [record(1)], 1);
    // What an operator's restart or a failover does to our connections.
    await sql(
      server.url,
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
      [new URL(url).pathname.slice(1)],
    );
    // The pool replaces a closed connection on its next use; the use that finds
    // it closed may fail (and the gateway resends), the ones after must not.
    await expect
      .poll(() => store.storeRecords('gw-1', [record(2)], 2).then(() => 'stored', String), {
        timeout: 10_000,
      })
      .toBe('stored');
    await expect.poll(() => store.countRecords('gw-1').catch(String), { timeout: 10_000 }).toBe(2);
  });
});

describe('PostgresTelemetryStore billing records', () => {
  it('refuses any statement that would delete a billing record, not only retention', async () => {
    const url = await createDatabase(server.url);
    const store = await openStore(url);
    await store.storeRecords(
      'gw-1',
      [
        {
          sequence: 1,
          deviceId: 'm1',
          timestampMs: 1,
          lane: 'billing',
          quality: 'good',
          values: [],
        },
        { sequence: 2, deviceId: 'm1', timestampMs: 1, lane: 'bulk', quality: 'good', values: [] },
      ],
      1,
    );
    await expect(sql(url, 'DELETE FROM telemetry_records')).rejects.toThrow(
      'billing records are never deleted (gateway gw-1, sequence 1)',
    );
    expect(await store.countRecords()).toBe(2);
    expect(await store.deleteRawRecordsBefore(10, 10)).toBe(1);
    expect((await store.listRecords('gw-1')).map((r) => r.lane)).toEqual(['billing']);
  });
});
