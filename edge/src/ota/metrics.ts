import { Counter, type Registry } from 'prom-client';
import type { FirmwareReport } from './steps.js';

/** Counts an executor's reports: every step by status, and every update by how it ended. */
export function createOtaMetrics(registry: Registry): { count(report: FirmwareReport): void } {
  const steps = new Counter({
    name: 'coupler_edge_ota_steps_total',
    help: 'Firmware update steps run, by step (download, verify, lock, flash, ...) and status (started, ok, failed).',
    labelNames: ['step', 'status'] as const,
    registers: [registry],
  });
  const updates = new Counter({
    name: 'coupler_edge_ota_updates_total',
    help: 'Firmware updates ended, by outcome (done, refused, rolled_back, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    count(report) {
      if (report.kind === 'step') steps.inc({ step: report.step, status: report.status });
      else updates.inc({ outcome: report.outcome });
    },
  };
}
