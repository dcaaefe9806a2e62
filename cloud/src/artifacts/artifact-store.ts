import { CouplerError, manifestProblems, signManifest, verifyContent, type ArtifactManifest } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { StoredArtifact, UploadDeclaration } from '../records/index.js';
import type { ArtifactBlobs } from './ports.js';
import type { SigningKey } from './signing-key.js';

export type { StoredArtifact, UploadDeclaration } from '../records/index.js';

export interface UploadStatus {
  /** The upload's id is the declared SHA-256: beginning the same upload again resumes it. */
  uploadId: string;
  receivedBytes: number;
  size: number;
}

/** Largest chunk accepted in one call (gRPC's default message limit is 4 MiB). */
export const MAX_CHUNK_BYTES = 1024 * 1024;
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Artifacts stored by SHA-256 (files or PostgreSQL, `blobs`). Uploads arrive in chunks at the
 * offset the store reports, so a cut upload resumes where it stopped; completing one checks size
 * and SHA-256, then signs the manifest. A stored artifact never changes, so its manifest is kept
 * in memory once read.
 */
export class ArtifactStore {
  private readonly known = new Map<string, StoredArtifact>();

  constructor(
    private readonly blobs: ArtifactBlobs,
    private readonly key: SigningKey,
    private readonly now: () => number,
  ) {}

  async beginUpload(declared: UploadDeclaration): Promise<UploadStatus> {
    const manifest = { ...declared, created: new Date(this.now()).toISOString() };
    const problems = manifestProblems(manifest);
    if (declared.size > MAX_ARTIFACT_BYTES) problems.push(`size: must be <= ${MAX_ARTIFACT_BYTES} (got ${declared.size})`);
    if (problems.length > 0) throw invalid(`the upload is invalid: ${problems.join('; ')}`);
    if (await this.get(declared.sha256)) return { uploadId: declared.sha256, receivedBytes: declared.size, size: declared.size };
    const existing = (await this.blobs.upload(declared.sha256))?.declared;
    if (existing && (existing.size !== declared.size || existing.kind !== declared.kind || existing.version !== declared.version)) {
      throw invalid(`an upload of ${declared.sha256} is already under way as ${existing.kind} ${existing.version} (${existing.size} bytes)`);
    }
    if (!existing) await this.blobs.beginUpload({ kind: declared.kind, version: declared.version, size: declared.size, sha256: declared.sha256 });
    return this.status(declared.sha256);
  }

  async status(uploadId: string): Promise<UploadStatus> {
    const upload = SHA256.test(uploadId) ? await this.blobs.upload(uploadId) : undefined;
    if (!upload) throw invalid(`there is no upload ${uploadId}; begin it first`);
    return { uploadId, receivedBytes: upload.receivedBytes, size: upload.declared.size };
  }

  /** Appends a chunk that must start at the received size (anything else is refused, naming it). */
  async appendChunk(uploadId: string, offset: number, chunk: Uint8Array): Promise<UploadStatus> {
    const { receivedBytes, size } = await this.status(uploadId);
    const refuse = (held: number) => invalid(`chunk offset ${offset} does not continue upload ${uploadId}, which has ${held} bytes; resend from ${held}`);
    if (offset !== receivedBytes) throw refuse(receivedBytes);
    if (chunk.length === 0 || chunk.length > MAX_CHUNK_BYTES) throw invalid(`a chunk must be 1 to ${MAX_CHUNK_BYTES} bytes (got ${chunk.length})`);
    if (offset + chunk.length > size) throw invalid(`chunk ends at byte ${offset + chunk.length}, past the declared size ${size}`);
    // Another call (another process) may have appended since the status was read.
    if (!(await this.blobs.append(uploadId, offset, chunk))) throw refuse((await this.status(uploadId)).receivedBytes);
    return { uploadId, receivedBytes: offset + chunk.length, size };
  }

  /** Checks the content against the declaration, signs it, and stores it under its SHA-256. */
  async complete(uploadId: string): Promise<StoredArtifact> {
    const declared = SHA256.test(uploadId) ? (await this.blobs.upload(uploadId))?.declared : undefined;
    if (!declared) throw invalid(`there is no upload ${uploadId}; begin it first`);
    const content = await this.blobs.readUpload(uploadId);
    const manifest: ArtifactManifest = { ...declared, created: new Date(this.now()).toISOString() };
    const check = verifyContent(content, manifest);
    if (!check.isValid) {
      if (content.length === manifest.size) await this.blobs.discardUpload(uploadId); // complete but wrong: start again
      throw invalid(`upload ${uploadId} cannot be completed: ${check.reason}`);
    }
    await this.blobs.keep({ manifest, signature: signManifest(manifest, this.key.privateKey) });
    // Another process may have completed the same upload first: its signed manifest is the one kept.
    const stored = await this.get(uploadId);
    if (!stored) throw new Error(`artifact ${uploadId} was kept but cannot be read back`);
    return stored;
  }

  async get(sha256: string): Promise<StoredArtifact | undefined> {
    if (!SHA256.test(sha256)) return undefined;
    const known = this.known.get(sha256);
    if (known) return known;
    const stored = await this.blobs.get(sha256);
    if (stored) this.known.set(sha256, stored);
    return stored;
  }

  /** Up to `maxBytes` of a stored artifact from `offset`: what a gateway's download asks for. */
  async readChunk(sha256: string, offset: number, maxBytes: number): Promise<Buffer> {
    const stored = await this.get(sha256);
    if (!stored) throw invalid(`there is no artifact ${sha256}`);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > stored.manifest.size) throw invalid(`offset ${offset} is outside artifact ${sha256} (${stored.manifest.size} bytes)`);
    const length = Math.min(Math.max(0, maxBytes), MAX_CHUNK_BYTES, stored.manifest.size - offset);
    return length === 0 ? Buffer.alloc(0) : this.blobs.read(sha256, offset, length);
  }
}

function invalid(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.requestInvalid, message);
}
