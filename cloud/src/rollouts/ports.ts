import type { ArtifactRef } from './plan.js';
import type { RolloutState } from './rollout-state.js';

/** The desired state of gateways (the root passes in the desired-state capability). */
export interface DesiredFirmwareTargets {
  /** Makes `artifact` the desired firmware of the gateway; it reaches a connected gateway at once. */
  setTarget(gatewayId: string, artifact: ArtifactRef, rolloutId: string): void;
}

/**
 * Where rollouts are kept, so a restarted (or newly elected) controller carries on: files for
 * the embedded store, PostgreSQL for a fleet of cloud processes (docs/decisions/0085).
 */
export interface RolloutRepository {
  /**
   * Durable when it resolves. Refuses (rejects) a save of a rollout that another process saved
   * since this one loaded or saved it: a newer leader runs it now.
   */
  save(state: RolloutState): Promise<void>;
  loadAll(): Promise<RolloutState[]>;
}

/** The timers seam: tests and benchmarks may drive time themselves. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
