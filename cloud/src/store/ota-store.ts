import type { ArtifactBlobs, RolloutState } from '../records/index.js';

/** Rollouts as the controller saves them (rollouts/ports.ts RolloutRepository). */
export interface RolloutRecords {
  /** Durable when it resolves; refused when another process saved the rollout since this one read it. */
  save(state: RolloutState): Promise<void>;
  loadAll(): Promise<RolloutState[]>;
}

/** The bytes and signed manifests of artifacts and of uploads under way (the artifacts capability's port). */
export type ArtifactRecords = ArtifactBlobs;

/**
 * Where a fleet of cloud processes keeps rollouts and artifacts, so any elected leader carries
 * them on (PostgreSQL, docs/decisions/0085). The embedded store keeps them in files instead.
 */
export interface OtaStore {
  readonly location: string;
  open(): Promise<void>;
  close(): Promise<void>;
  readonly rollouts: RolloutRecords;
  readonly artifacts: ArtifactRecords;
}
