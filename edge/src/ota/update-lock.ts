import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { CouplerError } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';

/** balena's update lock (reference/ecosystem.md §1); the legacy path is honoured too. */
export const BALENA_UPDATE_LOCK_PATH = '/tmp/balena/updates.lock';
const OWNER = 'coupler-ota';
const FLOCK_TIMEOUT_MS = 5_000;

export interface UpdateLock {
  path: string;
  /** The lock was left by an earlier run of ours that was killed, and was taken over. */
  wasStale: boolean;
  /** An exclusive flock() is held on the file too (blocks host-OS update reboots). */
  hasFlock: boolean;
  release(): Promise<void>;
}

export interface UpdateLockOptions {
  /** Also hold flock() through util-linux `flock` in a child process (Node has no flock()). */
  isFlockWanted: boolean;
}

/**
 * Takes the balena update lock. Lockfile: created with O_CREAT|O_EXCL (`wx`), which stops the
 * supervisor from killing the service for an app update while it exists (`touch` would not do).
 * flock: held by a `flock` child whose stdin is our pipe, so it ends, and frees the lock, when
 * this process dies. A lockfile of ours from a run that is gone (SIGKILL) is taken over; one
 * that anybody else holds (the supervisor, uid 65534) means an update is under way: try later.
 */
export async function takeUpdateLock(path: string, options: UpdateLockOptions): Promise<UpdateLock> {
  const wasStale = createLockfile(path);
  const removeLockfile = () => {
    rmSync(path, { force: true });
  };
  if (!options.isFlockWanted) return { path, wasStale, hasFlock: false, release: () => {
    removeLockfile();
    return Promise.resolve();
  } };
  let holder: ChildProcessWithoutNullStreams;
  try {
    holder = await holdFlock(path);
  } catch (err) {
    removeLockfile();
    throw err;
  }
  return {
    path,
    wasStale,
    hasFlock: true,
    release: async () => {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.stdin.end();
      await exited;
      removeLockfile();
    },
  };
}

function createLockfile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const content = JSON.stringify({ owner: OWNER, pid: process.pid });
  try {
    const fd = openSync(path, 'wx', 0o644);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!isOurStaleLock(path)) throw locked(path, 'is held by another process (the balena supervisor updates this device)');
    // Ours, from a run that is gone: rewritten in place, so a flock() on this inode still counts.
    writeFileSync(path, content);
    return true;
  }
}

/** `flock -n -x <path> -c 'echo locked; exec cat'`: says when it holds the lock, keeps it until stdin ends. */
function holdFlock(path: string): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['--nonblock', '--exclusive', path, '--command', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(locked(path, `could not be flock()ed in ${FLOCK_TIMEOUT_MS} ms`));
    }, FLOCK_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run flock (util-linux) to hold ${path}: ${err.message}`, { cause: err }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(locked(path, `is flock()ed by another process (a host OS update)${code === 1 ? '' : `: flock exited ${code}: ${stderr.trim()}`}`));
    });
    createInterface({ input: child.stdout }).once('line', () => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(child);
    });
  });
}

function locked(path: string, why: string): CouplerError {
  return new CouplerError(EdgeErrorCode.otaUpdateLocked, `the update lock ${path} ${why}; the firmware update waits and retries`);
}

function isOurStaleLock(path: string): boolean {
  let holder: { owner?: unknown; pid?: unknown };
  try {
    holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
  } catch {
    return false; // empty or foreign content: somebody else's lock
  }
  if (holder.owner !== OWNER || typeof holder.pid !== 'number') return false;
  if (holder.pid === process.pid) return true; // a container restarts with the same pid
  try {
    process.kill(holder.pid, 0);
    return false; // that process is alive: its lock stands
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
