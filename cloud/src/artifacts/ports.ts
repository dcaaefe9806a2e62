export type { ArtifactBlobs } from '../records/index.js';
