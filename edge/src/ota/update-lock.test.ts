import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EdgeErrorCode } from '../errors.js';
import { takeUpdateLock } from './update-lock.js';

function lockPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-lock-'));
  onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
  return join(dir, 'balena', 'updates.lock');
}

/** What the supervisor's host-OS update does: try flock() on the path without waiting. */
const canFlock = (path: string) => spawnSync('flock', ['--nonblock', '--exclusive', path, 'true']).status === 0;

describe('balena update lock (lockfile with O_EXCL, and flock)', () => {
  it('creates the lockfile and holds flock while held, names its owner, and frees both on release', async () => {
    const path = lockPath();
    const lock = await takeUpdateLock(path, { isFlockWanted: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ owner: 'coupler-ota', pid: process.pid });
    expect(lock).toMatchObject({ wasStale: false, hasFlock: true });
    expect(canFlock(path)).toBe(false);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while the supervisor holds the lockfile (a file that is not ours), and leaves that file alone', async () => {
    const path = lockPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    await expect(takeUpdateLock(path, { isFlockWanted: true })).rejects.toMatchObject({
      code: EdgeErrorCode.otaUpdateLocked,
      message: `the update lock ${path} is held by another process (the balena supervisor updates this device); the firmware update waits and retries`,
    });
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('refuses while another process holds flock on the file (a host OS update), and removes the lockfile it made', async () => {
    const path = lockPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ owner: 'coupler-ota', pid: 2 ** 22 + 1 })); // our stale lockfile
    const updater = spawn('flock', ['--exclusive', path, '--command', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    onTestFinished(() => { updater.kill(); });
    await new Promise((resolve) => updater.stdout.once('data', resolve));

    await expect(takeUpdateLock(path, { isFlockWanted: true })).rejects.toMatchObject({
      code: EdgeErrorCode.otaUpdateLocked,
      message: `the update lock ${path} is flock()ed by another process (a host OS update); the firmware update waits and retries`,
    });
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock a killed run of ours left behind (its pid is gone)', async () => {
    const path = lockPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ owner: 'coupler-ota', pid: 2 ** 22 + 1 })); // above pid_max: no such process
    const lock = await takeUpdateLock(path, { isFlockWanted: true });
    expect(lock.wasStale).toBe(true);
    await lock.release();
  });
});
