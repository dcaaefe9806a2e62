import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then one call per refill, per key', () => {
    let nowMs = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 2, now: () => nowMs });
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, true, false]);
    expect(limiter.take('10.0.0.2')).toBe(true);
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(1);
    nowMs = 499;
    expect(limiter.take('10.0.0.1')).toBe(false);
    nowMs = 1000;
    // Two per second: one second after the burst, two calls are back.
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, false]);
    nowMs = 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, true, false]);
  });

  it('forgets the least recently used key beyond maxKeys', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001, maxKeys: 2, now: () => 0 });
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    // 'b' is now the least recently used; a third key pushes it out, so it starts afresh.
    expect(limiter.take('c')).toBe(true);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.take('a')).toBe(true);
  });
});
