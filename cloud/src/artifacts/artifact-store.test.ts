import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sha256Hex, verifyContent, verifyManifest } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import { ArtifactStore } from './artifact-store.js';
import { fileArtifactBlobs } from './file-blobs.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const NOW = Date.parse('2026-12-01T03:00:00Z');
const content = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256));
const declaration = { kind: 'arduino-firmware' as const, version: '0.2.0', size: content.length, sha256: sha256Hex(content) };

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-artifacts-'));
  onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

function store(dir = folder()): ArtifactStore {
  return new ArtifactStore(fileArtifactBlobs(join(dir, 'artifacts')), loadOrCreateSigningKey(join(dir, 'signing-key.pem')), () => NOW);
}

describe('artifact store: chunked resumable upload, content-addressed, signed', () => {
  it('resumes a cut upload from the bytes it holds, then stores the artifact signed by the fleet key', async () => {
    const dir = folder();
    const first = store(dir);
    expect(await first.beginUpload(declaration)).toEqual({ uploadId: declaration.sha256, receivedBytes: 0, size: 50_000 });
    await first.appendChunk(declaration.sha256, 0, content.subarray(0, 20_000));

    // The uploader reconnects (and the cloud restarted): beginning again reports where to go on.
    const again = store(dir);
    expect((await again.beginUpload(declaration)).receivedBytes).toBe(20_000);
    await again.appendChunk(declaration.sha256, 20_000, content.subarray(20_000));
    const stored = await again.complete(declaration.sha256);

    expect(stored.manifest).toEqual({ ...declaration, created: '2026-12-01T03:00:00.000Z' });
    const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));
    expect(verifyManifest(stored.manifest, stored.signature, key.publicKeyPem)).toEqual({ isValid: true });
    expect(await again.get(declaration.sha256)).toEqual(stored);
    const chunks = await Promise.all([0, 16_384, 32_768, 49_152].map((offset) => again.readChunk(declaration.sha256, offset, 16_384)));
    expect(verifyContent(Buffer.concat(chunks), stored.manifest)).toEqual({ isValid: true });
    expect(statSync(join(dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses a chunk that does not continue the upload, naming where to resume', async () => {
    const s = store();
    await s.beginUpload(declaration);
    await s.appendChunk(declaration.sha256, 0, content.subarray(0, 1_000));
    await expect(s.appendChunk(declaration.sha256, 5_000, content.subarray(5_000, 6_000))).rejects.toThrow(
      `chunk offset 5000 does not continue upload ${declaration.sha256}, which has 1000 bytes; resend from 1000`,
    );
    await expect(s.appendChunk(declaration.sha256, 1_000, content)).rejects.toThrow('chunk ends at byte 51000, past the declared size 50000');
  });

  it('refuses to complete content whose SHA-256 differs from the declaration, and stores nothing', async () => {
    const s = store();
    const changed = Buffer.from(content);
    changed[123] = (changed[123] ?? 0) ^ 0xff;
    await s.beginUpload(declaration);
    await s.appendChunk(declaration.sha256, 0, changed);
    await expect(s.complete(declaration.sha256)).rejects.toThrow(expect.objectContaining({
      code: CloudErrorCode.requestInvalid,
      message: `upload ${declaration.sha256} cannot be completed: the content's SHA-256 is ${sha256Hex(changed)}, the manifest says ${declaration.sha256}`,
    }) as Error);
    expect(await s.get(declaration.sha256)).toBeUndefined();
    expect((await s.beginUpload(declaration)).receivedBytes).toBe(0); // discarded: upload again
  });

  it('names every bad field of a declaration', async () => {
    await expect(store().beginUpload({ kind: 'arduino-firmware', version: 'v2', size: 1.5, sha256: 'x' })).rejects.toThrow(
      'the upload is invalid: version: must be a semantic version like 1.2.3 (got "v2"); size: must be a whole number of bytes >= 0 (got 1.5); sha256: must be 64 lowercase hex digits (got "x")',
    );
  });
});
