export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Keys tracked at most; the oldest are forgotten first (a flood of addresses stays bounded). */
  maxKeys: number;
}

export interface LoginLimiter {
  /** Seconds until every key may try again; 0 when none is blocked. */
  retryAfterSeconds(keys: readonly string[]): number;
  failed(keys: readonly string[]): void;
  succeeded(keys: readonly string[]): void;
}

interface Window {
  startedAtMs: number;
  failures: number;
}

/**
 * Counts failed logins per key (client address, username) in a fixed window: after maxFailures
 * the key is refused until its window ends, so guessing costs time (OWASP ASVS 2.2.1).
 */
export function createLoginLimiter(options: LoginLimiterOptions, now: () => number): LoginLimiter {
  const windows = new Map<string, Window>();
  const current = (key: string, atMs: number): Window | undefined => {
    const window = windows.get(key);
    if (window && atMs - window.startedAtMs >= options.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return window;
  };
  return {
    retryAfterSeconds(keys) {
      const atMs = now();
      let waitMs = 0;
      for (const key of keys) {
        const window = current(key, atMs);
        if (window && window.failures >= options.maxFailures)
          waitMs = Math.max(waitMs, window.startedAtMs + options.windowMs - atMs);
      }
      return Math.ceil(waitMs / 1000);
    },
    failed(keys) {
      const atMs = now();
      for (const key of keys) {
        const window = current(key, atMs);
        if (window) window.failures++;
        else {
          if (windows.size >= options.maxKeys) {
            const oldest = windows.keys().next();
            if (oldest.done !== true) windows.delete(oldest.value);
          }
          windows.set(key, { startedAtMs: atMs, failures: 1 });
        }
      }
    },
    succeeded(keys) {
      for (const key of keys) windows.delete(key);
    },
  };
}
