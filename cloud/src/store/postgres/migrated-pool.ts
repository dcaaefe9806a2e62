import pg from 'pg';
import { CouplerError, errorMessage } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import { migrate } from './migrate.js';

/**
 * A pool on the fleet's database whose schema is migrated (decision 0031), with commits flushed
 * before they are acknowledged. `what` names the store in the error of a refused open.
 */
export async function openMigratedPool(options: { connectionString: string; connectTimeoutMs?: number; max: number; applicationName: string; what: string; location: string }): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName,
    options: '-c synchronous_commit=on',
  });
  // A broken idle connection is replaced on the next query, which reports its own failure.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, options.location);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    if (err instanceof CouplerError) throw err;
    throw new CouplerError(CloudErrorCode.storeOpen, `cannot open the ${options.what} at ${options.location}: ${errorMessage(err)}; nothing was changed`, { cause: err });
  }
  return pool;
}
