import { EventEmitter } from 'node:events';
import pg from 'pg';
import { errorMessage, type Logger } from '@coupler/kit';

/** The advisory lock key all Coupler clouds of one database contend for: ASCII "CplLead". */
export const LEADER_LOCK_KEY = '18982433880105316';
export const DEFAULT_INTERVAL_MS = 2_000;
/** The server ends a leader's session that sent nothing for this many intervals. */
const IDLE_INTERVALS = 3;
const STOP_LIMIT_MS = 2_000;
// PostgreSQL Appendix A: a setting this server does not know (idle_session_timeout < 14).
const UNDEFINED_OBJECT = '42704';

export interface LeaderElectionOptions {
  /** The fleet's database; advisory locks are per database. */
  connectionString: string;
  /** pg advisory lock key, a bigint in decimal; one per kind of singleton work. */
  lockKey?: string;
  /**
   * A follower tries the lock this often, and a leader checks its connection this often: a
   * successor takes over at most about one interval after the lock is free.
   */
  intervalMs?: number;
}

export interface LeaderElectionDeps {
  logger: Logger;
}

export interface LeaderElectionEvents {
  /** This process holds the lock: start the singleton work. */
  elected: [];
  /** This process no longer holds the lock (stopped, or its connection was lost): stop the work. */
  deposed: [reason: string];
  /** Another session holds the lock. */
  refused: [];
  /** The database could not be reached or answered with an error; the next attempt retries. */
  unreachable: [err: Error];
}

/**
 * Leader election through a session-level PostgreSQL advisory lock (docs/decisions/0032). The
 * lock lives as long as one dedicated connection: whoever holds it leads, and when that
 * connection ends (stop, crash, kill, network loss) the server releases it and the next
 * pg_try_advisory_lock of another process succeeds. Losing the connection means losing
 * leadership at once, whether or not the lock might still be held.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private isRunning = false;
  private isLeading = false;
  private wasUnreachable = false;

  constructor(
    private readonly options: LeaderElectionOptions,
    private readonly deps: LeaderElectionDeps,
  ) {
    super();
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  private get lockKey(): string {
    return this.options.lockKey ?? LEADER_LOCK_KEY;
  }

  isLeader(): boolean {
    return this.isLeading;
  }

  /** Resolves after the first attempt, leading or not; never fails for an unreachable database. */
  async start(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    await this.runAttempt();
  }

  /** Idempotent: releases the lock (if held) and closes the connection. */
  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.isRunning = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.attempt;
    const client = this.client;
    this.client = undefined;
    if (client) {
      // Ending the session releases the lock too; unlocking first lets a successor in even
      // if the goodbye is lost.
      if (this.isLeading) {
        await client
          .query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey])
          // Failing here means the session is gone, and the server released the lock with it.
          .catch(() => undefined);
      }
      await closeClient(client);
    }
    this.depose('stopped');
  }

  private runAttempt(): Promise<void> {
    this.attempt = this.tryOnce().finally(() => {
      this.attempt = undefined;
      if (this.isRunning) {
        this.timer = setTimeout(() => void this.runAttempt(), this.intervalMs);
      }
    });
    return this.attempt;
  }

  private async tryOnce(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.isLeading) {
        // The lock is held while the session lives; this proves the session still does, and
        // keeps it from counting as idle on the server.
        await client.query('SELECT 1');
      } else {
        const result = await client.query<{ acquired: boolean }>(
          'SELECT pg_try_advisory_lock($1::bigint) AS acquired',
          [this.lockKey],
        );
        if (!this.isRunning || client !== this.client) return;
        if (result.rows[0]?.acquired === true) {
          this.isLeading = true;
          this.deps.logger.info({ lockKey: this.lockKey }, 'leadership acquired');
          this.emit('elected');
        } else {
          this.emit('refused');
        }
      }
      if (this.wasUnreachable) {
        this.wasUnreachable = false;
        this.deps.logger.info('leader election reaches the database again');
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.dropConnection(`the database connection failed: ${errorMessage(error)}`);
      if (!this.wasUnreachable) {
        this.wasUnreachable = true;
        this.deps.logger.warn({ err: error }, 'leader election cannot reach the database');
      }
      this.emit('unreachable', error);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'coupler-cloud-leader',
      connectionTimeoutMillis: this.intervalMs,
      // A leader's check that gets no answer within an interval means the session is gone
      // for all we know: step down rather than risk two leaders.
      query_timeout: this.intervalMs,
      keepAlive: true,
    });
    // Registered before connect: a connection error must not become an unhandled 'error'.
    client.on('error', (err) => {
      if (client === this.client)
        this.dropConnection(`the database connection failed: ${err.message}`);
    });
    client.on('end', () => {
      if (client === this.client) this.dropConnection('the database connection ended');
    });
    try {
      await client.connect();
      await this.limitIdleSession(client);
    } catch (err) {
      client.connection.stream.destroy();
      throw err;
    }
    this.client = client;
    return client;
  }

  /**
   * The server ends a session that sent nothing for a few intervals, so a leader that hangs or
   * is cut off by the network loses the lock on the server's side too, not only in its own view.
   */
  private async limitIdleSession(client: pg.Client): Promise<void> {
    const idleMs = this.intervalMs * IDLE_INTERVALS;
    try {
      await client.query(`SET idle_session_timeout = ${String(idleMs)}`);
    } catch (err) {
      // Before PostgreSQL 14 the setting does not exist: TCP keepalive is all there is.
      if ((err as { code?: unknown }).code !== UNDEFINED_OBJECT) throw err;
    }
  }

  /** Forgets the connection (destroying it) and, if this process led, steps down. */
  private dropConnection(reason: string): void {
    const client = this.client;
    this.client = undefined;
    client?.connection.stream.destroy();
    this.depose(reason);
  }

  private depose(reason: string): void {
    if (!this.isLeading) return;
    this.isLeading = false;
    this.deps.logger.info({ reason }, 'leadership lost');
    this.emit('deposed', reason);
  }
}

/** Ends a client politely, and by force if the server does not answer in time. */
async function closeClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_LIMIT_MS);
  });
  // An error from end() means the connection was already gone, which is what we want.
  await Promise.race([client.end().catch(() => undefined), limit]);
  clearTimeout(timer);
  client.connection.stream.destroy();
}

export function createLeaderElection(
  options: LeaderElectionOptions,
  deps: LeaderElectionDeps,
): LeaderElection {
  return new LeaderElection(options, deps);
}
