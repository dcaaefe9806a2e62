import { describe, expect, it } from 'vitest';
import { CrashLoopGuard } from './crash-guard.js';

describe('crash-loop guard', () => {
  it('asks for a rollback at the third crash within the window after it is armed, once', () => {
    let nowMs = 0;
    const guard = new CrashLoopGuard({ maxCrashes: 3, windowMs: 60_000 }, () => nowMs);
    expect(guard.crashed()).toBe(false);
    guard.arm();
    expect([guard.crashed(), guard.crashed()]).toEqual([false, false]);
    nowMs = 59_999;
    expect(guard.crashed()).toBe(true);
    expect(guard.crashed()).toBe(false);
  });

  it('forgets crashes older than the window', () => {
    let nowMs = 0;
    const guard = new CrashLoopGuard({ maxCrashes: 2, windowMs: 1000 }, () => nowMs);
    guard.arm();
    expect(guard.crashed()).toBe(false);
    nowMs = 1000;
    expect(guard.crashed()).toBe(false);
    nowMs = 1500;
    expect(guard.crashed()).toBe(true);
  });
});
