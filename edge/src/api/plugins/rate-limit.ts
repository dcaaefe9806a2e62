import { EdgeErrorCode } from '../../errors.js';
import { ApiError } from '../app.js';

/** Clients remembered at most; beyond it, ended windows are forgotten first, then the oldest. */
const MAX_CLIENTS = 5000;

interface Window {
  count: number;
  endsAtMs: number;
}

/** What the limiter says about one request: the headers to send, and whether it is refused. */
export interface RateVerdict {
  headers: Record<string, string>;
  refusal?: ApiError;
}

/**
 * At most `max` requests per client address in a window of `windowMs` that starts at the
 * client's first request (as @fastify/rate-limit counted before): `x-ratelimit-*` headers on
 * every limited answer, 429 with `retry-after` beyond the limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(client: string): RateVerdict {
    const nowMs = this.now();
    let window = this.windows.get(client);
    if (!window || window.endsAtMs <= nowMs) {
      this.makeRoom();
      window = { count: 0, endsAtMs: nowMs + this.windowMs };
      this.windows.delete(client);
      this.windows.set(client, window);
    }
    window.count++;
    const resetSeconds = String(Math.ceil((window.endsAtMs - nowMs) / 1000));
    const headers: Record<string, string> = { 'x-ratelimit-limit': String(this.max), 'x-ratelimit-remaining': String(Math.max(0, this.max - window.count)), 'x-ratelimit-reset': resetSeconds };
    if (window.count <= this.max) return { headers };
    const plural = resetSeconds === '1' ? '' : 's';
    return { headers: { ...headers, 'retry-after': resetSeconds }, refusal: new ApiError(429, EdgeErrorCode.apiRateLimited, `Rate limit exceeded, retry in ${resetSeconds} second${plural}`) };
  }

  private makeRoom(): void {
    if (this.windows.size < MAX_CLIENTS) return;
    const nowMs = this.now();
    for (const [client, window] of this.windows) if (window.endsAtMs <= nowMs) this.windows.delete(client);
    // Still full of live windows: forget the oldest (a Map iterates in insertion order).
    for (const client of this.windows.keys()) {
      if (this.windows.size < MAX_CLIENTS) break;
      this.windows.delete(client);
    }
  }
}
