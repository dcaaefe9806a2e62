import type { ArtifactKind, ArtifactManifest } from '@coupler/kit';

/** An artifact as a rollout names it. */
export interface ArtifactRef {
  kind: ArtifactKind;
  version: string;
  sha256: string;
}

/** What a gateway reported for its part of a rollout (its OTA outcome), or the wave's deadline passing. */
export type GatewayOutcome = 'done' | 'rolled_back' | 'refused' | 'failed' | 'timed_out';

export type RolloutStatus = 'running' | 'paused' | 'completed' | 'aborted' | 'rolled_back';

export interface RolloutPlan {
  rolloutId: string;
  target: ArtifactRef;
  /** What a rollback makes the target again. */
  previous?: ArtifactRef;
  gatewayIds: string[];
  /** Cumulative fractions of the gateways per wave; the default is a canary, then 10%, 50%, all. */
  waveFractions?: number[];
  /** A wave whose share of failed gateways passes this (0..1) pauses the rollout. */
  failureThreshold: number;
  /** Gateways of a wave that have not reported by then count as failed (`timed_out`). */
  waveTimeoutMs: number;
}

export interface WaveState {
  gatewayIds: string[];
  startedAt?: string;
  /** Epoch ms after which unreported gateways count as timed out. */
  deadlineAt?: number;
  results: Record<string, { outcome: GatewayOutcome; reason?: string }>;
}

export interface RolloutState {
  plan: RolloutPlan;
  status: RolloutStatus;
  /** Index of the wave under way (or the last one started). */
  currentWave: number;
  waves: WaveState[];
  /** Why the rollout paused itself. */
  pausedReason?: string;
  history: { at: string; event: string }[];
}

/** What an uploader declares before sending the bytes; the upload is named by the SHA-256. */
export interface UploadDeclaration {
  kind: ArtifactKind;
  version: string;
  size: number;
  sha256: string;
}

export interface StoredArtifact {
  manifest: ArtifactManifest;
  /** The fleet key's Ed25519 signature over the canonical manifest. */
  signature: Buffer;
}
