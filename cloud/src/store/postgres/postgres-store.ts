import pg from 'pg';
import { CouplerError, errorMessage } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import {
  isSameContent,
  LANES,
  type Lane,
  type Quality,
  type RecordColumns,
  type StoredRecord,
  type TelemetryRecord,
  type TimeRangeQuery,
} from '../../records/index.js';
import type { GatewaySummary, ListRecordsOptions, StoreResult, TelemetryStore } from '../store.js';
import { ConcurrencyGate } from '../../lib/index.js';
import { migrate } from './migrate.js';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/database; the password is never put in messages. */
  connectionString: string;
  /** Connections for writes (each storeRecords call holds one for one statement). */
  poolSize?: number;
  connectTimeoutMs?: number;
  /** Longest a read (count, list) may take before it fails. */
  readTimeoutMs?: number;
  /** The server aborts a write that runs longer (statement_timeout); the gateway resends. */
  writeTimeoutMs?: number;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_READ_TIMEOUT_MS = 5_000;
const DEFAULT_WRITE_TIMEOUT_MS = 30_000;
const APPLICATION_NAME = 'coupler-cloud';

/**
 * One statement, so one implicit transaction and one round trip, whatever the batch size: the
 * batch arrives as parallel arrays (unnest). DISTINCT ON keeps the first copy of a sequence
 * repeated within the batch; ON CONFLICT DO NOTHING keeps the copy already stored (or being
 * stored by a concurrent transaction, which it waits for). Rows are inserted in sequence order
 * so two overlapping batches lock their rows in the same order and cannot deadlock. The
 * gateway summary is updated in the same statement, after the rows.
 */
const STORE_BATCH_SQL = `
  WITH batch AS (
    SELECT DISTINCT ON (sequence) sequence, device_id, timestamp_ms, lane, quality, signal_values
    FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::jsonb[])
      WITH ORDINALITY AS t(sequence, device_id, timestamp_ms, lane, quality, signal_values, position)
    ORDER BY sequence, position
  ),
  inserted AS (
    INSERT INTO telemetry_records
      (gateway_id, sequence, device_id, timestamp_ms, lane, quality, signal_values, received_at_ms)
    SELECT $1, sequence, device_id, timestamp_ms, lane, quality, signal_values, $8
    FROM batch ORDER BY sequence
    ON CONFLICT (gateway_id, sequence) DO NOTHING
    RETURNING 1
  ),
  summary AS (
    INSERT INTO telemetry_gateways AS g (gateway_id, last_seen_ms, records)
    SELECT $1, $8, count(*) FROM inserted
    ON CONFLICT (gateway_id) DO UPDATE
      SET records = g.records + EXCLUDED.records,
          last_seen_ms = GREATEST(g.last_seen_ms, EXCLUDED.last_seen_ms)
  )
  -- A data-modifying WITH runs to completion whether or not it is read (PostgreSQL 7.8.4).
  -- Every sequence of the batch is held once the statement commits (new, duplicate or
  -- conflicting), and the sub-select sees the rows held before it (its snapshot).
  SELECT (SELECT count(*) FROM inserted) AS stored,
    GREATEST(
      (SELECT max(sequence) FROM telemetry_records WHERE gateway_id = $1),
      (SELECT max(sequence) FROM batch),
      0
    ) AS highest
`;

/** The rows held under the sequences of a batch that was not all new: compared in TS. */
const HELD_SQL = `
  SELECT sequence, device_id, timestamp_ms, lane, quality, signal_values, received_at_ms
  FROM telemetry_records
  WHERE gateway_id = $1 AND sequence = ANY($2::bigint[])
`;

const QUERY_SQL = `
  SELECT sequence, device_id, timestamp_ms, lane, quality, signal_values, received_at_ms
  FROM telemetry_records
  WHERE gateway_id = $1 AND timestamp_ms >= $2 AND timestamp_ms < $3
    AND (timestamp_ms, sequence) > ($4, $5)
    AND ($6::text IS NULL OR device_id = $6)
    AND lane = ANY($7::text[])
  ORDER BY timestamp_ms, sequence
  LIMIT $8
`;

/**
 * One retention batch in one statement: the oldest bulk and alarm rows (the partial index
 * telemetry_records_raw_time), then the gateways' counts lowered by what went. SKIP LOCKED lets a
 * batch pass rows that a concurrent statement holds instead of waiting for them.
 */
const DELETE_RAW_SQL = `
  WITH doomed AS (
    SELECT gateway_id, sequence FROM telemetry_records
    WHERE lane <> 'billing' AND timestamp_ms < $1
    ORDER BY timestamp_ms
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  ),
  deleted AS (
    DELETE FROM telemetry_records r USING doomed d
    WHERE r.gateway_id = d.gateway_id AND r.sequence = d.sequence
    RETURNING r.gateway_id
  ),
  counts AS (
    SELECT gateway_id, count(*) AS n FROM deleted GROUP BY gateway_id
  ),
  summary AS (
    UPDATE telemetry_gateways g SET records = GREATEST(0, g.records - c.n)
    FROM counts c WHERE g.gateway_id = c.gateway_id
  )
  SELECT coalesce(sum(n), 0) AS deleted FROM counts
`;

interface Opened {
  pool: pg.Pool;
  /** Writes wait here, not in the pool, whose wait for a connection ends at the connect timeout. */
  writes: ConcurrencyGate;
  /** Reads get their own small pool with a client-side time limit; writes are never cut short by it. */
  readPool: pg.Pool;
}

/** The URL without password or parameters, for messages; a form we cannot parse is not echoed. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}

/**
 * The store for a fleet: PostgreSQL, shared by every cloud process of that fleet
 * (docs/decisions/0030). Writes go through a pool; the synchronous reads of the interface go
 * through a BlockingReader. Nothing is cached in memory, so each process sees what the others
 * stored as soon as their storeRecords resolved.
 */
export class PostgresTelemetryStore implements TelemetryStore {
  private opened: Opened | undefined;

  constructor(private readonly options: PostgresStoreOptions) {}

  /** Where the data lives, without the password. */
  get location(): string {
    return describeDatabase(this.options.connectionString);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const where = this.location;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const poolSize = this.options.poolSize ?? DEFAULT_POOL_SIZE;
    const pool = new pg.Pool({
      connectionString: this.options.connectionString,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: this.options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
      application_name: APPLICATION_NAME,
      // The durability contract: a batch is acknowledged only once its commit is flushed to
      // the WAL, whatever the server's default for synchronous_commit.
      options: '-c synchronous_commit=on',
    });
    // An idle connection that breaks (server restart) is dropped by the pool and replaced on
    // the next write; that write fails or succeeds on its own and is reported there.
    pool.on('error', () => undefined);
    const readPool = new pg.Pool({
      connectionString: this.options.connectionString,
      max: 2,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: this.options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      application_name: APPLICATION_NAME,
    });
    readPool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migrate(client, where);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      await readPool.end();
      if (err instanceof CouplerError) throw err;
      throw new CouplerError(
        CloudErrorCode.storeOpen,
        `cannot open the telemetry store at ${where}: ${errorMessage(err)}; nothing was changed`,
        { cause: err, details: { database: where } },
      );
    }
    this.opened = { pool, readPool, writes: new ConcurrencyGate(poolSize) };
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    await opened.pool.end();
    await opened.readPool.end();
  }

  isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** PostgreSQL writes rows of records: the columns become records, as before (decision 0016). */
  storeColumns(gatewayId: string, columns: RecordColumns, receivedAtMs: number): Promise<StoreResult> {
    return this.storeRecords(gatewayId, columns.toRecords(), receivedAtMs);
  }

  async storeRecords(
    gatewayId: string,
    records: readonly TelemetryRecord[],
    receivedAtMs: number,
  ): Promise<StoreResult> {
    const { pool, writes } = this.requireOpen();
    let written: { stored: number; highestSequence: number; held: StoredRecord[] };
    try {
      written = await writes.run(async () => {
        const result = await pool.query<{ stored: string; highest: string }>(STORE_BATCH_SQL, [
          gatewayId,
          records.map((r) => r.sequence),
          records.map((r) => r.deviceId),
          records.map((r) => r.timestampMs),
          records.map((r) => r.lane),
          records.map((r) => r.quality),
          records.map((r) =>
            JSON.stringify(r.values.map(({ name, value, unit }) => ({ name, value, unit }))),
          ),
          receivedAtMs,
        ]);
        const stored = Number(result.rows[0]?.stored ?? 0);
        const highestSequence = Number(result.rows[0]?.highest ?? 0);
        // Only a resend (rare) pays for the second round trip that tells duplicates from collisions.
        if (stored === records.length) return { stored, highestSequence, held: [] };
        const sequences = [...new Set(records.map((r) => r.sequence))];
        const rows = await pool.query<Record<string, unknown>>(HELD_SQL, [gatewayId, sequences]);
        return {
          stored,
          highestSequence,
          held: rows.rows.map((row) => recordOfRow(gatewayId, row)),
        };
      });
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot write to the telemetry store at ${this.location}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    // The statement committed when the query resolved (autocommit, synchronous_commit=on).
    const { stored, highestSequence, held } = written;
    const conflicting = conflictsWith(held, records);
    return {
      stored,
      duplicates: records.length - stored - conflicting.records,
      conflicting: conflicting.sequences,
      highestSequence,
    };
  }

  async highestSequence(gatewayId: string): Promise<number> {
    // The primary key (gateway_id, sequence) answers this from its last entry.
    const rows = await this.read(
      'SELECT coalesce(max(sequence), 0) AS highest FROM telemetry_records WHERE gateway_id = $1',
      [gatewayId],
    );
    return Number(rows[0]?.['highest'] ?? 0);
  }

  async countRecords(gatewayId?: string): Promise<number> {
    const rows =
      gatewayId === undefined
        ? await this.read('SELECT coalesce(sum(records), 0) AS records FROM telemetry_gateways')
        : await this.read('SELECT records FROM telemetry_gateways WHERE gateway_id = $1', [
            gatewayId,
          ]);
    return Number(rows[0]?.['records'] ?? 0);
  }

  async listRecords(gatewayId: string, options: ListRecordsOptions = {}): Promise<StoredRecord[]> {
    const rows = await this.read(
      `SELECT sequence, device_id, timestamp_ms, lane, quality, signal_values, received_at_ms
       FROM telemetry_records
       WHERE gateway_id = $1 AND sequence >= $2
       ORDER BY sequence
       LIMIT $3`,
      // LIMIT NULL is no limit.
      [gatewayId, options.fromSequence ?? 0, options.limit ?? null],
    );
    return rows.map((row) => recordOfRow(gatewayId, row));
  }

  async queryRecords(gatewayId: string, query: TimeRangeQuery): Promise<StoredRecord[]> {
    if (query.limit <= 0) return [];
    const rows = await this.read(QUERY_SQL, [
      gatewayId,
      query.fromMs,
      query.toMs,
      query.after?.timestampMs ?? -1,
      query.after?.sequence ?? 0,
      query.deviceId ?? null,
      query.lanes ?? LANES,
      query.limit,
    ]);
    return rows.map((row) => recordOfRow(gatewayId, row));
  }

  async deleteRawRecordsBefore(beforeMs: number, limit: number): Promise<number> {
    const { pool, writes } = this.requireOpen();
    if (limit <= 0) return 0;
    try {
      const result = await writes.run(() =>
        pool.query<{ deleted: string }>(DELETE_RAW_SQL, [beforeMs, limit]),
      );
      return Number(result.rows[0]?.deleted ?? 0);
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot delete from the telemetry store at ${this.location}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  async listGateways(): Promise<GatewaySummary[]> {
    // COLLATE "C": code-point order, the same as the LMDB store, whatever the database locale.
    const rows = await this.read(
      'SELECT gateway_id, last_seen_ms, records FROM telemetry_gateways ORDER BY gateway_id COLLATE "C"',
    );
    return rows.map((row) => ({
      gatewayId: String(row['gateway_id']),
      lastSeenMs: Number(row['last_seen_ms']),
      records: Number(row['records']),
    }));
  }

  private async read(
    text: string,
    values: readonly unknown[] = [],
  ): Promise<Record<string, unknown>[]> {
    const { readPool } = this.requireOpen();
    try {
      return (await readPool.query<Record<string, unknown>>(text, [...values])).rows;
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeRead,
        `cannot read the telemetry store at ${this.location}: ${errorMessage(err)}`,
        { cause: err, details: { database: this.location } },
      );
    }
  }

  private requireOpen(): Opened {
    if (!this.opened) throw new Error('the telemetry store is not open');
    return this.opened;
  }
}

/**
 * The records of a batch whose sequence is held with other content. The copy just inserted
 * compares equal to itself; a row gone meanwhile (retention) counts as no collision.
 */
function conflictsWith(
  held: readonly StoredRecord[],
  records: readonly TelemetryRecord[],
): { records: number; sequences: number[] } {
  if (held.length === 0) return { records: 0, sequences: [] };
  const bySequence = new Map(held.map((r) => [r.sequence, r]));
  const differing = records.filter((record) => {
    const row = bySequence.get(record.sequence);
    return row !== undefined && !isSameContent(row, record);
  });
  const sequences = [...new Set(differing.map((r) => r.sequence))].sort((a, b) => a - b);
  return { records: differing.length, sequences };
}

function recordOfRow(gatewayId: string, row: Record<string, unknown>): StoredRecord {
  return {
    gatewayId,
    sequence: Number(row['sequence']),
    deviceId: String(row['device_id']),
    timestampMs: Number(row['timestamp_ms']),
    lane: row['lane'] as Lane,
    quality: row['quality'] as Quality,
    values: (row['signal_values'] as StoredRecord['values']).map(({ name, value, unit }) => ({
      name,
      value,
      unit,
    })),
    receivedAtMs: Number(row['received_at_ms']),
  };
}

export function createPostgresTelemetryStore(
  options: PostgresStoreOptions,
): PostgresTelemetryStore {
  return new PostgresTelemetryStore(options);
}
