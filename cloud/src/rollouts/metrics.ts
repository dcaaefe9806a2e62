import { Gauge, type Registry } from 'prom-client';
import type { RolloutState, RolloutStatus } from './rollout-state.js';

const STATUSES: readonly RolloutStatus[] = ['running', 'paused', 'completed', 'aborted', 'rolled_back'];

/**
 * Rollout gauges, read from the controller at scrape time (no state of their own):
 * `coupler_cloud_rollouts{status}` counts rollouts, and `coupler_cloud_rollout_paused{rollout_id}`
 * is 1 for each paused rollout, so an alert can name it. Only paused rollouts get a series:
 * they wait for an operator and are few; finished ones would grow the label set forever.
 */
export function registerRolloutMetrics(registry: Registry, rollouts: () => readonly Pick<RolloutState, 'plan' | 'status'>[]): void {
  new Gauge({
    name: 'coupler_cloud_rollouts',
    help: 'Rollouts this cloud process knows, by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const all = rollouts();
      for (const status of STATUSES) this.set({ status }, all.filter((r) => r.status === status).length);
    },
  });
  new Gauge({
    name: 'coupler_cloud_rollout_paused',
    help: '1 for each rollout that is paused (by its failure threshold or a timed-out wave) until an operator resumes, aborts or rolls it back.',
    labelNames: ['rollout_id'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const rollout of rollouts()) if (rollout.status === 'paused') this.set({ rollout_id: rollout.plan.rolloutId }, 1);
    },
  });
}
