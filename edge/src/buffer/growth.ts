/**
 * Estimates how fast the buffer grows (bytes per second, ingest minus drain) from samples of
 * its size, smoothed so a burst does not swing the estimate. Pure; time is passed in.
 */
export class GrowthEstimator {
  private last: { atMs: number; bytes: number } | undefined;
  private rateBytesPerSecond = 0;

  constructor(
    /** Samples closer together than this are ignored. */
    private readonly minIntervalMs = 5_000,
    /** Weight of a new sample: 0.2 means about the last five samples count. */
    private readonly weight = 0.2,
  ) {}

  sample(atMs: number, bytes: number): void {
    if (!this.last) {
      this.last = { atMs, bytes };
      return;
    }
    const elapsedMs = atMs - this.last.atMs;
    if (elapsedMs < this.minIntervalMs) return;
    const rate = ((bytes - this.last.bytes) * 1000) / elapsedMs;
    this.rateBytesPerSecond = this.rateBytesPerSecond === 0 ? rate : this.weight * rate + (1 - this.weight) * this.rateBytesPerSecond;
    this.last = { atMs, bytes };
  }

  bytesPerSecond(): number {
    return this.rateBytesPerSecond;
  }

  /** Seconds until `bytes` reaches `quotaBytes` at the current rate; undefined when not growing. */
  secondsUntilFull(bytes: number, quotaBytes: number): number | undefined {
    if (this.rateBytesPerSecond <= 0) return undefined;
    return Math.max(0, (quotaBytes - bytes) / this.rateBytesPerSecond);
  }
}
