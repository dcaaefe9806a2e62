import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CouplerError, manifestProblems, signManifest, verifyContent, type ArtifactKind, type ArtifactManifest } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { SigningKey } from './signing-key.js';

export interface UploadDeclaration {
  kind: ArtifactKind;
  version: string;
  size: number;
  sha256: string;
}

export interface UploadStatus {
  /** The upload's id is the declared SHA-256: beginning the same upload again resumes it. */
  uploadId: string;
  receivedBytes: number;
  size: number;
}

export interface StoredArtifact {
  manifest: ArtifactManifest;
  /** The fleet key's Ed25519 signature over the canonical manifest. */
  signature: Buffer;
}

/** Largest chunk accepted in one call (gRPC's default message limit is 4 MiB). */
export const MAX_CHUNK_BYTES = 1024 * 1024;
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

/**
 * Artifacts stored by SHA-256 under `<folder>/<sha256>` with `<sha256>.json` (manifest and
 * signature). Uploads arrive in chunks at the offset the store reports, so a cut upload resumes
 * where it stopped; completing one checks size and SHA-256, then signs the manifest.
 */
export class ArtifactStore {
  private readonly uploads: string;

  constructor(
    private readonly folder: string,
    private readonly key: SigningKey,
    private readonly now: () => number,
  ) {
    this.uploads = join(folder, 'uploads');
    mkdirSync(this.uploads, { recursive: true });
  }

  beginUpload(declared: UploadDeclaration): UploadStatus {
    const manifest = { ...declared, created: new Date(this.now()).toISOString() };
    const problems = manifestProblems(manifest);
    if (declared.size > MAX_ARTIFACT_BYTES) problems.push(`size: must be <= ${MAX_ARTIFACT_BYTES} (got ${declared.size})`);
    if (problems.length > 0) throw invalid(`the upload is invalid: ${problems.join('; ')}`);
    if (this.get(declared.sha256)) return { uploadId: declared.sha256, receivedBytes: declared.size, size: declared.size };
    const existing = this.declaration(declared.sha256);
    if (existing && (existing.size !== declared.size || existing.kind !== declared.kind || existing.version !== declared.version)) {
      throw invalid(`an upload of ${declared.sha256} is already under way as ${existing.kind} ${existing.version} (${existing.size} bytes)`);
    }
    if (!existing) {
      writeFileSync(this.partPath(declared.sha256), new Uint8Array(0), { flag: 'a' });
      writeFileSync(join(this.uploads, `${declared.sha256}.json`), JSON.stringify(declared));
    }
    return this.status(declared.sha256);
  }

  status(uploadId: string): UploadStatus {
    const declared = this.declaration(uploadId);
    if (!declared) throw invalid(`there is no upload ${uploadId}; begin it first`);
    return { uploadId, receivedBytes: statSync(this.partPath(uploadId)).size, size: declared.size };
  }

  /** Appends a chunk that must start at the received size (anything else is refused, naming it). */
  appendChunk(uploadId: string, offset: number, chunk: Uint8Array): UploadStatus {
    const { receivedBytes, size } = this.status(uploadId);
    if (offset !== receivedBytes) throw invalid(`chunk offset ${offset} does not continue upload ${uploadId}, which has ${receivedBytes} bytes; resend from ${receivedBytes}`);
    if (chunk.length === 0 || chunk.length > MAX_CHUNK_BYTES) throw invalid(`a chunk must be 1 to ${MAX_CHUNK_BYTES} bytes (got ${chunk.length})`);
    if (offset + chunk.length > size) throw invalid(`chunk ends at byte ${offset + chunk.length}, past the declared size ${size}`);
    const fd = openSync(this.partPath(uploadId), 'a');
    try {
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { uploadId, receivedBytes: offset + chunk.length, size };
  }

  /** Checks the content against the declaration, signs it, and stores it under its SHA-256. */
  complete(uploadId: string): StoredArtifact {
    const declared = this.declaration(uploadId);
    if (!declared) throw invalid(`there is no upload ${uploadId}; begin it first`);
    const content = readFileSync(this.partPath(uploadId));
    const manifest: ArtifactManifest = { ...declared, created: new Date(this.now()).toISOString() };
    const check = verifyContent(content, manifest);
    if (!check.isValid) {
      if (content.length === manifest.size) this.discard(uploadId); // complete but wrong: start again
      throw invalid(`upload ${uploadId} cannot be completed: ${check.reason}`);
    }
    const stored = { manifest, signature: signManifest(manifest, this.key.privateKey) };
    renameSync(this.partPath(uploadId), join(this.folder, uploadId));
    writeFileSync(join(this.folder, `${uploadId}.json`), JSON.stringify({ manifest, signature: stored.signature.toString('base64') }));
    this.discard(uploadId);
    return stored;
  }

  get(sha256: string): StoredArtifact | undefined {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    try {
      const saved = JSON.parse(readFileSync(join(this.folder, `${sha256}.json`), 'utf8')) as { manifest: ArtifactManifest; signature: string };
      return { manifest: saved.manifest, signature: Buffer.from(saved.signature, 'base64') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Up to `maxBytes` of a stored artifact from `offset`: what a gateway's download asks for. */
  readChunk(sha256: string, offset: number, maxBytes: number): Buffer {
    const stored = this.get(sha256);
    if (!stored) throw invalid(`there is no artifact ${sha256}`);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > stored.manifest.size) throw invalid(`offset ${offset} is outside artifact ${sha256} (${stored.manifest.size} bytes)`);
    const length = Math.min(Math.max(0, maxBytes), MAX_CHUNK_BYTES, stored.manifest.size - offset);
    const chunk = Buffer.alloc(length);
    const fd = openSync(join(this.folder, sha256), 'r');
    try {
      readSync(fd, chunk, 0, length, offset);
    } finally {
      closeSync(fd);
    }
    return chunk;
  }

  private declaration(uploadId: string): UploadDeclaration | undefined {
    if (!/^[0-9a-f]{64}$/.test(uploadId)) return undefined;
    try {
      return JSON.parse(readFileSync(join(this.uploads, `${uploadId}.json`), 'utf8')) as UploadDeclaration;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private discard(uploadId: string): void {
    rmSync(this.partPath(uploadId), { force: true });
    rmSync(join(this.uploads, `${uploadId}.json`), { force: true });
  }

  private partPath(uploadId: string): string {
    return join(this.uploads, `${uploadId}.part`);
  }
}

function invalid(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.requestInvalid, message);
}
