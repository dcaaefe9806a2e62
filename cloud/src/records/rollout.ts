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

/**
 * Where artifact bytes and signed manifests are kept: files in the data folder for the
 * embedded store, PostgreSQL for a fleet of cloud processes (docs/decisions/0085).
 */
export interface ArtifactBlobs {
  upload(sha256: string): Promise<{ declared: UploadDeclaration; receivedBytes: number } | undefined>;
  /** Records the declaration unless an upload of the same SHA-256 exists (then nothing changes). */
  beginUpload(declared: UploadDeclaration): Promise<void>;
  /** Appends when the upload holds exactly `offset` bytes (true, durable), else changes nothing (false). */
  append(sha256: string, offset: number, chunk: Uint8Array): Promise<boolean>;
  readUpload(sha256: string): Promise<Buffer>;
  discardUpload(sha256: string): Promise<void>;
  /** The upload's bytes become the artifact `stored` (unless it exists already); the upload is gone. */
  keep(stored: StoredArtifact): Promise<void>;
  get(sha256: string): Promise<StoredArtifact | undefined>;
  read(sha256: string, offset: number, length: number): Promise<Buffer>;
}
