/** A token bucket: `ratePerSecond` tokens a second, at most `ratePerSecond` saved up. */
export class RateLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = ratePerSecond;
    this.lastMs = now();
  }

  tryTake(): boolean {
    const nowMs = this.now();
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSecond);
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
