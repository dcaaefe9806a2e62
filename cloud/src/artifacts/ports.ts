import type { StoredArtifact, UploadDeclaration } from '../records/index.js';

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
