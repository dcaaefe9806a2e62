import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';
import { createSessionStore, isSameToken } from './sessions.js';

describe('createSessionStore', () => {
  it('ends a session when it is idle too long or too old, and keeps at most maxSessions', () => {
    let nowMs = 0;
    const store = createSessionStore({ idleMs: 1000, maxAgeMs: 2500, maxSessions: 2 }, () => nowMs);
    const session = store.create('anna', 'viewer');
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    nowMs = 900;
    expect(store.use(session.id)?.username).toBe('anna');
    nowMs = 1800;
    expect(store.use(session.id)?.username).toBe('anna');
    nowMs = 2600; // used 800 ms ago, but logged in 2600 ms ago
    expect(store.use(session.id)).toBeUndefined();

    const idle = store.create('bob', 'viewer');
    nowMs += 1001;
    expect(store.use(idle.id)).toBeUndefined();

    const first = store.create('a', 'viewer');
    store.create('b', 'viewer');
    store.create('c', 'viewer');
    expect(store.size()).toBe(2);
    expect(store.use(first.id)).toBeUndefined();
  });

  it('compares tokens of any length without throwing', () => {
    expect(isSameToken('abc', 'abc')).toBe(true);
    expect(isSameToken('abc', 'abd')).toBe(false);
    expect(isSameToken('abc', 'abcd')).toBe(false);
  });
});

describe('createLoginLimiter', () => {
  it('blocks a key after maxFailures until its window ends; a success clears the keys it names', () => {
    let nowMs = 0;
    const limiter = createLoginLimiter(
      { maxFailures: 2, windowMs: 60_000, maxKeys: 100 },
      () => nowMs,
    );
    limiter.failed(['ip:1', 'user:anna']);
    expect(limiter.retryAfterSeconds(['ip:1', 'user:anna'])).toBe(0);
    nowMs = 10_000;
    limiter.failed(['ip:1', 'user:anna']);
    expect(limiter.retryAfterSeconds(['ip:2', 'user:anna'])).toBe(50);
    expect(limiter.retryAfterSeconds(['ip:2', 'user:bob'])).toBe(0);
    nowMs = 60_000;
    expect(limiter.retryAfterSeconds(['ip:1'])).toBe(0);
    limiter.failed(['ip:3']);
    limiter.failed(['ip:3']);
    limiter.succeeded(['ip:3']);
    expect(limiter.retryAfterSeconds(['ip:3'])).toBe(0);
  });
});
