import { Gauge, type Registry } from 'prom-client';
import type { Leadership } from './leadership.js';
import type { SingletonWork } from './singleton-work.js';

/** coupler_cloud_leader and coupler_cloud_singleton_job_running, read at each scrape. */
export function registerLeaderMetrics(registry: Registry, leadership: Leadership, work: SingletonWork): void {
  new Gauge({
    name: 'coupler_cloud_leader',
    help: '1 while this process leads its fleet and runs the singleton work (always 1 with the embedded store), else 0.',
    registers: [registry],
    collect() {
      this.set(leadership.isLeader() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'coupler_cloud_singleton_job_running',
    help: '1 while the singleton job runs in this process, else 0.',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      for (const job of work.jobs()) this.set({ job: job.name }, job.isRunning ? 1 : 0);
    },
  });
}
