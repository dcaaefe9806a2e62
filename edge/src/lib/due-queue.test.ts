import { describe, expect, it, onTestFinished } from 'vitest';
import { DueQueue, type DueItem } from './due-queue.js';

interface Job extends DueItem {
  name: string;
}

function job(name: string, inMs: number): Job {
  return { name, dueMs: performance.now() + inMs, queueIndex: -1 };
}

/** A queue that records what ran, and in which timer callback (a new one after each macrotask). */
function recordingQueue() {
  const ran: { name: string; callback: number; lateMs: number }[] = [];
  let callback = 0;
  let isCounted = false;
  const queue = new DueQueue<Job>((item) => {
    if (!isCounted) {
      callback++;
      isCounted = true;
      setImmediate(() => {
        isCounted = false;
      });
    }
    ran.push({ name: item.name, callback, lateMs: performance.now() - item.dueMs });
  });
  onTestFinished(() => {
    queue.clear();
  });
  return { queue, ran };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DueQueue', () => {
  it('runs items in due order, none early, each once', async () => {
    const { queue, ran } = recordingQueue();
    for (const [name, inMs] of [
      ['c', 60],
      ['a', 10],
      ['d', 80],
      ['b', 30],
    ] as const)
      queue.add(job(name, inMs));
    expect(queue.size).toBe(4);
    await expect.poll(() => ran.length, { timeout: 2000 }).toBe(4);
    expect(ran.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    for (const r of ran) expect(r.lateMs).toBeGreaterThanOrEqual(-1);
    expect(queue.size).toBe(0);
  });

  it('runs items due together in one timer callback', async () => {
    const { queue, ran } = recordingQueue();
    const dueMs = performance.now() + 20;
    for (let i = 0; i < 50; i++)
      queue.add({ name: `m${i}`, dueMs: dueMs + (i % 2) * 0.5, queueIndex: -1 });
    queue.add(job('later', 300));
    await expect.poll(() => ran.length, { timeout: 2000 }).toBe(51);
    expect(new Set(ran.slice(0, 50).map((r) => r.callback)).size).toBe(1);
    expect(ran[50]).toMatchObject({ name: 'later', callback: 2 });
  });

  it('moves an item already queued, and removes one that is no longer wanted', async () => {
    const { queue, ran } = recordingQueue();
    const late = job('late', 200);
    const gone = job('gone', 10);
    queue.add(late);
    queue.add(gone);
    queue.add(job('kept', 30));
    queue.remove(gone);
    late.dueMs = performance.now() + 5;
    queue.add(late);
    expect(queue.size).toBe(2);
    await expect.poll(() => ran.length, { timeout: 2000 }).toBe(2);
    await settle(30);
    expect(ran.map((r) => r.name)).toEqual(['late', 'kept']);
  });

  it('runs an item again only when run() queues it again', async () => {
    let runs = 0;
    const item = job('poll', 5);
    const queue = new DueQueue<Job>((it) => {
      runs++;
      if (runs < 3) {
        it.dueMs += 10;
        queue.add(it);
      }
    });
    onTestFinished(() => {
      queue.clear();
    });
    queue.add(item);
    await expect.poll(() => runs, { timeout: 2000 }).toBe(3);
    await settle(30);
    expect(runs).toBe(3);
    expect(item.queueIndex).toBe(-1);
  });

  it('runs nothing after clear()', async () => {
    const { queue, ran } = recordingQueue();
    queue.add(job('a', 10));
    queue.add(job('b', 20));
    queue.clear();
    await settle(50);
    expect(ran).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('keeps due order through many adds, moves and removes', async () => {
    const { queue, ran } = recordingQueue();
    const now = performance.now();
    const items = Array.from({ length: 200 }, (_, i) => ({
      name: `j${i}`,
      dueMs: now + 10 + ((i * 7919) % 400) / 10,
      queueIndex: -1,
    }));
    for (const item of items) queue.add(item);
    for (const item of items.slice(0, 50)) queue.remove(item);
    for (const item of items.slice(50, 100)) {
      item.dueMs -= 8;
      queue.add(item);
    }
    expect(queue.size).toBe(150);
    await expect.poll(() => ran.length, { timeout: 2000 }).toBe(150);
    const dueOf = new Map(items.map((item) => [item.name, item.dueMs]));
    const order = ran.map((r) => dueOf.get(r.name) ?? NaN);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(ran.some((r) => Number(r.name.slice(1)) < 50)).toBe(false);
  });
});
