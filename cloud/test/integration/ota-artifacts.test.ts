import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CouplerError, createLogger, sha256Hex, verifyContent, verifyManifest } from '@coupler/kit';
import { loadCouplerProto, type ArtifactServiceClient } from '@coupler/proto';
import { ArtifactStore, fileArtifactBlobs, loadOrCreateSigningKey } from '../../src/artifacts/index.js';
import { CloudErrorCode } from '../../src/errors.js';
import { artifactHandlers } from '../../src/grpc/index.js';
import { createArtifactApi, type Authorize } from '../../src/ota-api.js';
import { clientOf, startServer, unaryCall } from '../helpers/ota-grpc.js';

const proto = loadCouplerProto();
const OPERATOR = 'Bearer operator-key';
const GATEWAY = 'Bearer gateway-key';
const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 253));
const sha256 = sha256Hex(content);

/** The identity capability's decision, reduced to two fixed callers for this transport test. */
const authorize: Authorize = (authorization, action) => {
  if (authorization === OPERATOR || (authorization === GATEWAY && action === 'read')) return Promise.resolve();
  return Promise.reject(new CouplerError(CloudErrorCode.permissionDenied, `${action} needs role operator`));
};

async function startArtifactServer(dir: string): Promise<{ client: ArtifactServiceClient; close: () => void }> {
  const store = new ArtifactStore(fileArtifactBlobs(join(dir, 'artifacts')), loadOrCreateSigningKey(join(dir, 'signing-key.pem')), Date.now);
  const server = await startServer([[proto.ota.ArtifactService.service, artifactHandlers(createArtifactApi(store, authorize), createLogger({ name: 'test', level: 'silent' }))]]);
  const client = clientOf(proto.ota.ArtifactService, server.address);
  return { client, close: () => { client.close(); server.close(); } };
}

const call = <Res>(client: ArtifactServiceClient, method: string, request: unknown, auth = OPERATOR) => unaryCall<Res>(client, method, request, auth);

interface Status { uploadId: string; receivedBytes: number; sizeBytes: number }
interface Artifact { kind: string; version: string; sizeBytes: number; sha256: string; created: string; signature: Buffer }
const declaration = { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '0.2.0', sizeBytes: content.length, sha256 };

describe('coupler.ota.v1.ArtifactService over gRPC (loopback) on the real artifact store', () => {
  it('resumes an upload after the cloud restarted, signs it, and a gateway reads it back in chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coupler-ota-grpc-'));
    onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
    const first = await startArtifactServer(dir);
    await call<Status>(first.client, 'BeginUpload', declaration);
    await call<Status>(first.client, 'UploadChunk', { uploadId: sha256, offset: 0, data: content.subarray(0, 100_000) });
    first.close(); // the link and the cloud go away mid-upload

    const second = await startArtifactServer(dir);
    const resumed = await call<Status>(second.client, 'BeginUpload', declaration);
    expect(resumed).toEqual({ uploadId: sha256, receivedBytes: 100_000, sizeBytes: 300_000 });
    for (let offset = resumed.receivedBytes; offset < content.length; offset += 100_000) {
      await call<Status>(second.client, 'UploadChunk', { uploadId: sha256, offset, data: content.subarray(offset, offset + 100_000) });
    }
    const artifact = await call<Artifact>(second.client, 'CompleteUpload', { uploadId: sha256 });
    expect(artifact).toMatchObject({ kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '0.2.0', sizeBytes: 300_000, sha256 });

    const manifest = { kind: 'arduino-firmware' as const, version: artifact.version, size: artifact.sizeBytes, sha256: artifact.sha256, created: artifact.created };
    const publicKey = loadOrCreateSigningKey(join(dir, 'signing-key.pem')).publicKeyPem;
    expect(verifyManifest(manifest, artifact.signature, publicKey)).toEqual({ isValid: true });
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < content.length; offset += 65_536) {
      chunks.push((await call<{ data: Buffer }>(second.client, 'ReadChunk', { sha256, offset, maxBytes: 65_536 }, GATEWAY)).data);
    }
    expect(verifyContent(Buffer.concat(chunks), manifest)).toEqual({ isValid: true });
  });

  it('answers INVALID_ARGUMENT naming the offset to resend from, and PERMISSION_DENIED to a gateway that uploads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coupler-ota-grpc-'));
    onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
    const { client } = await startArtifactServer(dir);
    await call<Status>(client, 'BeginUpload', declaration);
    await expect(call(client, 'UploadChunk', { uploadId: sha256, offset: 5, data: content.subarray(5, 10) })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `chunk offset 5 does not continue upload ${sha256}, which has 0 bytes; resend from 0`,
    });
    await expect(call(client, 'BeginUpload', declaration, GATEWAY)).rejects.toMatchObject({ code: status.PERMISSION_DENIED, details: 'upload needs role operator' });
  });
});
