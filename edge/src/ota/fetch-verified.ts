import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { ArtifactKind } from '@coupler/kit';
import { DEFAULT_CHUNK_BYTES, downloadArtifact } from './download.js';
import type { ArtifactSource, SignedArtifact } from './ports.js';
import { removeFile } from './state-file.js';
import { artifactRefusal } from './verify.js';

/**
 * Downloads an artifact (resumable, into `folder`) and checks it as the firmware executor does:
 * signature, SHA-256, kind. Resolves with the content, or with why it was refused (the download
 * is then removed, so a corrupted copy is never used again); rejects when the download stopped
 * (it resumes from there on the next call).
 */
export async function fetchVerified(artifact: SignedArtifact, source: ArtifactSource, options: { folder: string; publicKey: KeyObject | string; kind: ArtifactKind; chunkBytes?: number }): Promise<{ content: Uint8Array } | { refusal: string }> {
  const { content } = await downloadArtifact(artifact.manifest, source, options.folder, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const refusal = artifactRefusal(artifact, content, options.publicKey, options.kind);
  if (refusal === undefined) return { content };
  removeFile(join(options.folder, `${artifact.manifest.sha256}.download`));
  return { refusal };
}
