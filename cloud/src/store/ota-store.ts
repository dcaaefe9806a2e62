import type { RolloutState, StoredArtifact, UploadDeclaration } from '../records/index.js';

/** Rollouts as the controller saves them (rollouts/ports.ts RolloutRepository). */
export interface RolloutRecords {
  /** Durable when it resolves; refused when another process saved the rollout since this one read it. */
  save(state: RolloutState): Promise<void>;
  loadAll(): Promise<RolloutState[]>;
}

/** The bytes and signed manifests of artifacts and of uploads under way (artifacts/ports.ts ArtifactBlobs). */
export interface ArtifactRecords {
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
