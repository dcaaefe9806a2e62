import type pg from 'pg';
import { CouplerError, errorMessage } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/**
 * pg_advisory_xact_lock key that serialises migrations across processes: two clouds starting
 * on one fresh database must not both apply migration 1. ASCII "CplMigr" as a bigint.
 */
export const MIGRATION_LOCK_KEY = '18982433897146226';

// PostgreSQL error codes (Appendix A): a column or table that is not what we expect.
const UNDEFINED_COLUMN = '42703';

export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  applied: number[];
  /** The schema version the database is at now. */
  version: number;
}

/**
 * Brings the database to the newest schema this code knows, in ONE transaction: either every
 * pending migration is applied and recorded in schema_migrations, or none is. Refuses with
 * CPL_ERR_STORE_OPEN, changing nothing, when the database is newer than this code, or when
 * schema_migrations belongs to another program. `where` names the database (no password).
 */
export async function migrate(
  client: pg.ClientBase,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  const refuse = (reason: string, cause?: unknown): CouplerError =>
    new CouplerError(
      CloudErrorCode.storeOpen,
      `cannot open the telemetry store at ${where}: ${reason}; nothing was changed`,
      { cause, details: { database: where } },
    );
  const known = [...migrations].sort((a, b) => a.version - b.version);
  const latest = known.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const recorded = await readRecorded(client).catch((err: unknown) => {
      throw isPgError(err, UNDEFINED_COLUMN)
        ? refuse('its table schema_migrations belongs to another program', err)
        : err;
    });
    const current = recorded.at(-1)?.version ?? 0;
    if (current > latest) {
      throw refuse(
        `the database schema is version ${current}, newer than this Coupler knows ` +
          `(${latest}); run a Coupler release that knows version ${current}, or point ` +
          'store.postgresUrl at another database',
      );
    }
    for (const row of recorded) {
      const ours = known.find((m) => m.version === row.version);
      if (ours?.name !== row.name) {
        throw refuse(
          `schema_migrations records version ${row.version} as "${row.name}", which is not ` +
            'a Coupler migration; the database belongs to another program',
        );
      }
    }
    const pending = known.filter((m) => m.version > current);
    for (const migration of pending) {
      try {
        await client.query(migration.sql);
      } catch (err) {
        throw refuse(
          `migration ${migration.version} (${migration.name}) failed: ${errorMessage(err)}`,
          err,
        );
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return { applied: pending.map((m) => m.version), version: Math.max(current, latest) };
  } catch (err) {
    // The original error is the one to report; a failed ROLLBACK means the connection is
    // gone, and the server rolls back on its own then.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err instanceof CouplerError ? err : refuse(errorMessage(err), err);
  }
}

async function readRecorded(client: pg.ClientBase): Promise<{ version: number; name: string }[]> {
  // integer and text arrive as number and string; the cast copes with a table whose columns
  // have other types (recognised by name, then refused).
  const result = await client.query<{ version: number; name: string }>(
    'SELECT version::integer AS version, name::text AS name FROM schema_migrations ORDER BY 1',
  );
  return result.rows;
}

export function isPgError(err: unknown, code: string): boolean {
  return err instanceof Error && (err as Error & { code?: unknown }).code === code;
}
