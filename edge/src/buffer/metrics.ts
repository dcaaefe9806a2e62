import { Counter, Gauge, type Registry } from 'prom-client';
import { LANES } from '../records/index.js';
import type { BufferStats } from './lmdb-buffer.js';

export interface BufferMetricSources {
  stats: () => BufferStats | undefined;
  secondsUntilFull: () => number | undefined;
  now: () => number;
}

/** Backlog gauges, read at scrape time (prom-client collect callbacks, no timers). */
export function registerBufferMetrics(registry: Registry, sources: BufferMetricSources): { dropped: Counter<'lane' | 'reason'> } {
  const registers = [registry];
  new Gauge({
    name: 'coupler_edge_records_buffered',
    help: 'Records in the durable buffer, not yet acknowledged by the cloud.',
    registers,
    collect() {
      this.set(sources.stats()?.records ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_records',
    help: 'Records in the durable buffer, per lane.',
    labelNames: ['lane'] as const,
    registers,
    collect() {
      const stats = sources.stats();
      for (const lane of LANES) this.set({ lane }, stats?.lanes[lane].records ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_bytes',
    help: 'Bytes used by buffered records, per lane.',
    labelNames: ['lane'] as const,
    registers,
    collect() {
      const stats = sources.stats();
      for (const lane of LANES) this.set({ lane }, stats?.lanes[lane].bytes ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_quota_bytes',
    help: 'Bytes the buffer may hold before the drop policy applies.',
    registers,
    collect() {
      this.set(sources.stats()?.quotaBytes ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_oldest_record_age_seconds',
    help: 'Age of the oldest record not yet acknowledged by the cloud; 0 when the buffer is empty.',
    registers,
    collect() {
      const oldest = sources.stats()?.oldestTimestampMs;
      this.set(oldest === undefined ? 0 : Math.max(0, (sources.now() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_seconds_until_full',
    help: 'Estimated time until the quota is full at the current net growth; -1 when the buffer is not growing.',
    registers,
    collect() {
      this.set(sources.secondsUntilFull() ?? -1);
    },
  });
  const dropped = new Counter({
    name: 'coupler_edge_records_dropped_total',
    help: 'Records dropped by the buffer, per lane and reason (quota: the drop policy).',
    labelNames: ['lane', 'reason'] as const,
    registers,
  });
  for (const lane of LANES) dropped.inc({ lane, reason: 'quota' }, 0);
  return { dropped };
}

