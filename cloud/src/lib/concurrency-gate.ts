/**
 * Lets at most `limit` tasks run at once; the others wait in arrival order, with no time limit
 * of their own. Put in front of a connection pool, it keeps a burst of writes from waiting in
 * the pool, whose wait for a free connection is cut short by its connection timeout.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `a concurrency limit must be a whole number of at least 1 (got ${limit})`,
      );
    }
  }

  /** Tasks waiting for their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    // A finishing task hands its place to the next waiter: `running` stays as it is.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
