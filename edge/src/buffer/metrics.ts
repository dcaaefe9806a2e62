import { Gauge, type Registry } from 'prom-client';
import type { BufferStats } from './lmdb-buffer.js';

/** Backlog gauges, read at scrape time (prom-client collect callbacks, no timers). */
export function registerBufferMetrics(registry: Registry, stats: () => BufferStats | undefined, now: () => number): void {
  new Gauge({
    name: 'coupler_edge_records_buffered',
    help: 'Records in the durable buffer, not yet acknowledged by the cloud.',
    registers: [registry],
    collect() {
      this.set(stats()?.records ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_bytes',
    help: 'Bytes on disk used by buffered records.',
    registers: [registry],
    collect() {
      this.set(stats()?.bytes ?? 0);
    },
  });
  new Gauge({
    name: 'coupler_edge_buffer_oldest_record_age_seconds',
    help: 'Age of the oldest record not yet acknowledged by the cloud; 0 when the buffer is empty.',
    registers: [registry],
    collect() {
      const oldest = stats()?.oldestTimestampMs;
      this.set(oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
}
