import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate.js';

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const tasks = [0, 1, 2, 3].map((i) =>
      gate.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => finish.push(resolve));
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.waitingCount).toBe(2);
    finish[1]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    finish[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    finish[2]?.();
    finish[3]?.();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(gate.waitingCount).toBe(0);
  });

  it('gives the place of a failed task to the next one', async () => {
    const gate = new ConcurrencyGate(1);
    const failed = gate.run(() => Promise.reject(new Error('write failed')));
    const next = gate.run(() => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('write failed');
    expect(await next).toBe('ran');
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyGate(0)).toThrow(
      'a concurrency limit must be a whole number of at least 1 (got 0)',
    );
  });
});
