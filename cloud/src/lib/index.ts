export { ConcurrencyGate } from './concurrency-gate.js';
export { RateLimiter } from './rate-limiter.js';
export type { RateLimiterOptions } from './rate-limiter.js';
