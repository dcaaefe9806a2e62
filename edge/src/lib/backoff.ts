// Constants after grpc-js src/backoff-timeout.ts, which follows gRPC's connection-backoff.md.
export const BACKOFF_MULTIPLIER = 1.6;
export const BACKOFF_JITTER = 0.2;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Returns a number in [0, 1); injected so tests are repeatable. */
  random?: () => number;
}

/** Exponential back-off with ±20% jitter, so a fleet that lost the cloud does not reconnect in step. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  nextDelayMs(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * BACKOFF_MULTIPLIER ** this.attempt);
    this.attempt++;
    const jitter = 1 + BACKOFF_JITTER * (2 * (this.options.random ?? Math.random)() - 1);
    return Math.round(Math.min(this.options.maxMs, base * jitter));
  }

  reset(): void {
    this.attempt = 0;
  }
}
