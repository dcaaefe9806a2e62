import { describe, expect, it } from 'vitest';
import { createLogger } from '@coupler/kit';
import { SingletonWork, type SingletonJob } from './singleton-work.js';

const logger = createLogger({ name: 'test', level: 'silent' });

/** A job that writes what happens to it into a shared log and fails when run twice at once. */
function job(name: string, log: string[], options: { failStarts?: number; delayMs?: number } = {}): SingletonJob {
  let running = false;
  let failures = options.failStarts ?? 0;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
  return {
    start: async () => {
      await pause();
      if (failures-- > 0) throw new Error(`${name} cannot start yet`);
      if (running) throw new Error(`${name} started twice`);
      running = true;
      log.push(`start ${name}`);
    },
    stop: async () => {
      await pause();
      running = false;
      log.push(`stop ${name}`);
    },
  };
}

describe('SingletonWork', () => {
  it('runs every job while leading, none while following, stopping the last registered first', async () => {
    const log: string[] = [];
    const work = new SingletonWork({ logger });
    work.register('rollouts', job('rollouts', log));
    work.register('retention', job('retention', log));
    await work.settled();
    expect(log).toEqual([]);
    await work.lead();
    expect(work.jobs()).toEqual([
      { name: 'rollouts', isRunning: true },
      { name: 'retention', isRunning: true },
    ]);
    await work.follow('deposed');
    expect(log).toEqual(['start rollouts', 'start retention', 'stop retention', 'stop rollouts']);
    expect(work.jobs().every((j) => !j.isRunning)).toBe(true);
  });

  it('starts a job registered while leading at once', async () => {
    const log: string[] = [];
    const work = new SingletonWork({ logger });
    await work.lead();
    work.register('retention', job('retention', log));
    await work.settled();
    expect(log).toEqual(['start retention']);
  });

  it('never runs a job twice at once when elections come quickly', async () => {
    const log: string[] = [];
    const work = new SingletonWork({ logger });
    work.register('rollouts', job('rollouts', log, { delayMs: 5 }));
    void work.lead();
    void work.follow('connection lost');
    void work.lead();
    void work.lead();
    await work.settled();
    expect(log).toEqual(['start rollouts', 'stop rollouts', 'start rollouts']);
  });

  it('keeps the other jobs running when one fails to start, and retries it at the next election', async () => {
    const log: string[] = [];
    const work = new SingletonWork({ logger });
    work.register('flaky', job('flaky', log, { failStarts: 1 }));
    work.register('retention', job('retention', log));
    await work.lead();
    expect(work.jobs()).toEqual([
      { name: 'flaky', isRunning: false },
      { name: 'retention', isRunning: true },
    ]);
    await work.follow('deposed');
    await work.lead();
    expect(log).toEqual(['start retention', 'stop retention', 'start flaky', 'start retention']);
  });

  it('refuses a second job with the same name', () => {
    const work = new SingletonWork({ logger });
    work.register('rollouts', job('rollouts', []));
    expect(() => {
      work.register('rollouts', job('rollouts', []));
    }).toThrow('a singleton job named "rollouts" is registered already');
  });
});
