import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

const PG_LIB = '/usr/lib/postgresql';
const INSTALL_HINT =
  'PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin; ' +
  'install them with `apt-get install postgresql` (the tests start their own cluster, ' +
  'so the service does not need to run)';
/** initdb plus start, or stop: generous for a loaded CI machine. */
const COMMAND_LIMIT_MS = 60_000;
const START_LIMIT_SECONDS = 30;

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication, loopback only). */
  url: string;
  /** Stops the cluster (fast shutdown) and deletes its folder; idempotent. */
  close(): Promise<void>;
}

/** The newest installed server version's bin folder, or a failure with the install hint. */
function binDir(): string {
  const versions = existsSync(PG_LIB)
    ? readdirSync(PG_LIB)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(PG_LIB, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(INSTALL_HINT);
  return join(PG_LIB, newest, 'bin');
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(`running as root but there is no postgres user; ${INSTALL_HINT}`);
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    server.close((err) => {
      if (err) reject(err);
      else resolve();
    });
  });
  return port;
}

/**
 * A private PostgreSQL cluster in a temporary folder, on 127.0.0.1 and a free port (STYLE §7:
 * real parts over loopback). PostgreSQL refuses to run as root, so as root the commands run as
 * the `postgres` user, which owns the folder. Fails (never skips) with an install hint when the
 * binaries are missing. One per test file (beforeAll/afterAll); tests isolate themselves with
 * createDatabase().
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binDir();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'coupler-pg-'));
  if (isRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const pgArgv = (tool: string, args: string[]): [string, string[]] =>
    isRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
  const pgCommand = (tool: string, args: string[]) =>
    run(...pgArgv(tool, args), { timeout: COMMAND_LIMIT_MS });
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let isStarted = false;
  let closing: Promise<void> | undefined;
  // A test process that ends without afterAll (a crash, a bail-out) must not leave a server
  // running: 'exit' allows only synchronous work, so stop it at once and remove the folder.
  const stopOnExit = (): void => {
    try {
      execFileSync(...pgArgv('pg_ctl', ['stop', '-D', data, '-m', 'immediate']), {
        timeout: COMMAND_LIMIT_MS,
        stdio: 'ignore',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const close = (): Promise<void> => {
    process.off('exit', stopOnExit);
    closing ??= (async () => {
      try {
        // Immediate: no shutdown checkpoint, which on a busy machine can outlast a test hook;
        // the folder is deleted next, so nothing would ever recover from it.
        if (isStarted) await pgCommand('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    return closing;
  };
  try {
    // Speed over safety for a throw-away cluster's files; the server itself keeps fsync on.
    await pgCommand('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    const port = await freePort();
    const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`;
    try {
      await pgCommand('pg_ctl', [
        'start',
        '-D',
        data,
        '-l',
        log,
        '-w',
        '-t',
        String(START_LIMIT_SECONDS),
        '-o',
        serverOptions,
      ]);
    } catch (err) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '(no log)';
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}:\n${serverLog}`, {
        cause: err,
      });
    }
    isStarted = true;
    process.once('exit', stopOnExit);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, close };
  } catch (err) {
    await close();
    throw err;
  }
}

let databases = 0;

/** A new, empty database on that server (for one test); returns its URL. */
export async function createDatabase(serverUrl: string, prefix = 'coupler_test'): Promise<string> {
  databases += 1;
  const name = `${prefix}_${process.pid}_${databases}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on a short-lived connection (for set-up and inspection in tests). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
