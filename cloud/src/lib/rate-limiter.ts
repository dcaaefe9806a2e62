export interface RateLimiterOptions {
  /** Calls a key may make at once after a quiet spell. */
  burst: number;
  /** Calls per second a key gets back. */
  perSecond: number;
  /** Keys remembered at most; the least recently used is forgotten first (bounded memory). */
  maxKeys?: number;
  now?: () => number;
}

const DEFAULT_MAX_KEYS = 10_000;

/** A token bucket per key (a peer address): take() is true while the key has a call left. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Spends one call of `key`; false when none is left. */
  take(key: string): boolean {
    const nowMs = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.options.burst;
    if (bucket) {
      tokens = Math.min(this.options.burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * this.options.perSecond);
      this.buckets.delete(key);
    } else if (this.buckets.size >= (this.options.maxKeys ?? DEFAULT_MAX_KEYS)) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
    const isAllowed = tokens >= 1;
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.set(key, { tokens: isAllowed ? tokens - 1 : tokens, atMs: nowMs });
    return isAllowed;
  }

  /** Seconds until `key` has a call again (0 when it has one now). */
  retryAfterSeconds(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) / this.options.perSecond);
  }
}
