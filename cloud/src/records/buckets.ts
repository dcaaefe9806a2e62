/** One time bucket of a signal: [startMs, startMs + step). */
export interface Bucket {
  startMs: number;
  min: number;
  max: number;
  mean: number;
  count: number;
  /** The value with the latest timestamp (then the highest sequence) in the bucket. */
  last: number;
  lastTimestampMs: number;
}

interface Open extends Bucket {
  sum: number;
  lastSequence: number;
}

/**
 * Downsampling of one signal into equal buckets from `fromMs`: bucket k covers
 * [fromMs + k * stepMs, fromMs + (k + 1) * stepMs). Values may come in any order. The dashboard's
 * plots and the telemetry API both use it, so a plot and a query agree on every bucket.
 */
export class BucketSeries {
  private readonly open = new Map<number, Open>();

  constructor(
    private readonly fromMs: number,
    private readonly stepMs: number,
  ) {}

  add(timestampMs: number, sequence: number, value: number): void {
    const startMs = this.fromMs + Math.floor((timestampMs - this.fromMs) / this.stepMs) * this.stepMs;
    const bucket = this.open.get(startMs);
    if (!bucket) {
      this.open.set(startMs, {
        startMs,
        min: value,
        max: value,
        mean: 0,
        sum: value,
        count: 1,
        last: value,
        lastTimestampMs: timestampMs,
        lastSequence: sequence,
      });
      return;
    }
    bucket.min = Math.min(bucket.min, value);
    bucket.max = Math.max(bucket.max, value);
    bucket.sum += value;
    bucket.count++;
    const isLater =
      timestampMs > bucket.lastTimestampMs ||
      (timestampMs === bucket.lastTimestampMs && sequence > bucket.lastSequence);
    if (isLater) {
      bucket.last = value;
      bucket.lastTimestampMs = timestampMs;
      bucket.lastSequence = sequence;
    }
  }

  /** Buckets that received a value, oldest first. */
  buckets(): Bucket[] {
    return [...this.open.values()]
      .sort((a, b) => a.startMs - b.startMs)
      .map(({ startMs, min, max, sum, count, last, lastTimestampMs }) => ({
        startMs,
        min,
        max,
        mean: sum / count,
        count,
        last,
        lastTimestampMs,
      }));
  }
}
