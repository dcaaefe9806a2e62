import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows by 1.6 per attempt up to the cap when jitter is neutral', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 5000, random: () => 0.5 });
    expect([1, 2, 3, 4, 5].map(() => backoff.nextDelayMs())).toEqual([1000, 1600, 2560, 4096, 5000]);
  });

  it('spreads delays by at most 20% either way and never past the cap', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 60_000, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, maxMs: 1100, random: () => 0.999999 });
    expect(low.nextDelayMs()).toBe(800);
    expect(high.nextDelayMs()).toBe(1100);
  });

  it('starts again from the initial delay after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 10_000, random: () => 0.5 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(100);
  });
});
