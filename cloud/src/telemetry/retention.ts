import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { RawRecordPruner } from './ports.js';

export interface RetentionOptions {
  /** Bulk and alarm records whose timestamp is older than this are deleted; billing never. */
  maxAgeMs: number;
  /** Time between the end of one run and the start of the next. */
  intervalMs: number;
  /** Records per delete (one transaction each), so no run holds the store for long. */
  batchRecords: number;
  /** Deletes per run at most; the rest waits for the next run. */
  maxBatchesPerRun: number;
}

export interface RetentionMetrics {
  deleted: Counter;
  runs: Counter<'result'>;
}

export interface RetentionDeps {
  store: RawRecordPruner;
  metrics: RetentionMetrics;
  logger: Logger;
  /** Wall clock seam. */
  now?: () => number;
}

export interface RetentionRun {
  deleted: number;
  batches: number;
  /** False when the run stopped at maxBatchesPerRun (or at stop()) with old records left. */
  isComplete: boolean;
}

/** Registered once per cloud on its registry; the job gets them as a dependency. */
export function createRetentionMetrics(registry: Registry): RetentionMetrics {
  return {
    deleted: new Counter({
      name: 'coupler_cloud_retention_deleted_records_total',
      help: 'Bulk and alarm records deleted by retention (billing records are never deleted).',
      registers: [registry],
    }),
    runs: new Counter({
      name: 'coupler_cloud_retention_runs_total',
      help: 'Retention runs, by result (ok, failed).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}

/**
 * Retention of raw telemetry: deletes bulk and alarm records older than maxAgeMs in bounded
 * batches, every intervalMs, never billing records (the store cannot be asked to). A singleton
 * piece of work: with several cloud processes only the elected leader should start it;
 * runOnce() does one run now, whether or not the job is started.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionRun> | undefined;
  private isStarted = false;
  /** Set by stop(): a run under way ends after its current batch. */
  private isStopping = false;

  constructor(
    private readonly options: RetentionOptions,
    private readonly deps: RetentionDeps,
  ) {}

  start(): Promise<void> {
    if (this.isStarted) return Promise.resolve();
    this.isStarted = true;
    this.isStopping = false;
    this.schedule(0);
    this.deps.logger.info({ maxAgeMs: this.options.maxAgeMs, intervalMs: this.options.intervalMs }, 'retention started');
    return Promise.resolve();
  }

  /** Cancels the next run and waits for one under way, which ends after its current batch. */
  async stop(): Promise<void> {
    if (!this.isStarted) return;
    this.isStarted = false;
    this.isStopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    this.isStopping = false;
    this.deps.logger.info('retention stopped');
  }

  /** One run now; a call during a run shares that run. Rejects with the store's error. */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed run is logged and counted in run(); the next one tries again.
      void this.runOnce()
        .catch(() => undefined)
        .finally(() => {
          if (this.isStarted) this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<RetentionRun> {
    const { store, metrics, logger } = this.deps;
    const beforeMs = (this.deps.now ?? Date.now)() - this.options.maxAgeMs;
    let deleted = 0;
    let batches = 0;
    try {
      for (;;) {
        const count = await store.deleteRawRecordsBefore(beforeMs, this.options.batchRecords);
        batches++;
        deleted += count;
        metrics.deleted.inc(count);
        if (count < this.options.batchRecords) break;
        if (batches >= this.options.maxBatchesPerRun || this.isStopping) {
          logger.info({ deleted, batches, beforeMs }, 'retention run stopped with old records left');
          metrics.runs.inc({ result: 'ok' });
          return { deleted, batches, isComplete: false };
        }
      }
    } catch (err) {
      metrics.runs.inc({ result: 'failed' });
      logger.error({ err, deleted, batches }, 'retention run failed');
      throw err;
    }
    metrics.runs.inc({ result: 'ok' });
    if (deleted > 0) logger.info({ deleted, batches, beforeMs }, 'retention run deleted old records');
    return { deleted, batches, isComplete: true };
  }

}
