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

describe('balena update lock (lockfile created with O_EXCL)', () => {
  it('creates the lockfile while held, names its owner in it, and removes it on release', () => {
    const path = lockPath();
    const lock = takeUpdateLock(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ owner: 'coupler-ota', pid: process.pid });
    expect(lock.wasStale).toBe(false);
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while the supervisor holds it (a file that is not ours), and leaves that file alone', () => {
    const path = lockPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    expect(() => takeUpdateLock(path)).toThrow(expect.objectContaining({
      code: EdgeErrorCode.otaUpdateLocked,
      message: `the update lock ${path} is held by another process (the balena supervisor updates this device); the firmware update waits and retries`,
    }) as Error);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('takes over a lock a killed run of ours left behind (its pid is gone)', () => {
    const path = lockPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ owner: 'coupler-ota', pid: 2 ** 22 + 1 })); // above pid_max: no such process
    const lock = takeUpdateLock(path);
    expect(lock.wasStale).toBe(true);
    lock.release();
  });
});
