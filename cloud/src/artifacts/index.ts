// Public API of the artifacts capability (STYLE §2.6): named exports only.
export { ArtifactStore, MAX_ARTIFACT_BYTES, MAX_CHUNK_BYTES } from './artifact-store.js';
export type { StoredArtifact, UploadDeclaration, UploadStatus } from './artifact-store.js';
export { fileArtifactBlobs } from './file-blobs.js';
export type { ArtifactBlobs } from './ports.js';
export { loadOrCreateSigningKey } from './signing-key.js';
export type { SigningKey } from './signing-key.js';
