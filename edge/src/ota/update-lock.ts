import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CouplerError } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';

/** balena's update lock (reference/ecosystem.md §1); the legacy path is honoured too. */
export const BALENA_UPDATE_LOCK_PATH = '/tmp/balena/updates.lock';
const OWNER = 'coupler-ota';

export interface UpdateLock {
  path: string;
  /** The lock was left by an earlier run of ours that was killed, and was taken over. */
  wasStale: boolean;
  release(): void;
}

/**
 * Takes the balena update lock as a lockfile: created with O_CREAT|O_EXCL (`wx`), which stops
 * the supervisor from killing the service for an app update while it exists. `touch` would not
 * do. A lockfile that we wrote ourselves in a run that is gone (SIGKILL) is taken over; one that
 * anybody else holds (the supervisor, uid 65534) means an update is under way: try later.
 */
export function takeUpdateLock(path: string): UpdateLock {
  mkdirSync(dirname(path), { recursive: true });
  let wasStale = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify({ owner: OWNER, pid: process.pid }));
      } finally {
        closeSync(fd);
      }
      return { path, wasStale, release: () => { rmSync(path, { force: true }); } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (wasStale || !isOurStaleLock(path)) {
        throw new CouplerError(EdgeErrorCode.otaUpdateLocked, `the update lock ${path} is held by another process (the balena supervisor updates this device); the firmware update waits and retries`);
      }
      rmSync(path, { force: true });
      wasStale = true;
    }
  }
}

function isOurStaleLock(path: string): boolean {
  let holder: { owner?: unknown; pid?: unknown };
  try {
    holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
  } catch {
    return false; // empty or foreign content: somebody else's lock
  }
  if (holder.owner !== OWNER || typeof holder.pid !== 'number') return false;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false; // that process is alive: its lock stands
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
