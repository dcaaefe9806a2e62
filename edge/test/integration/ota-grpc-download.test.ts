import { readFileSync } from 'node:fs';
import { credentials, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeArtifact } from '@coupler/kit';
import { loadCouplerProto, type ArtifactChunk, type ReadChunkRequest__Output } from '@coupler/proto';
import { downloadArtifact, grpcArtifactSource } from '../../src/ota/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const proto = loadCouplerProto();
const content = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 13) % 251));
const manifest = describeArtifact(content, 'arduino-firmware', '0.2.0', new Date('2026-12-01T03:00:00Z'));

/**
 * FAKE of the cloud's ArtifactService (the cloud is another workspace; edge tests may not import
 * it): real grpc-js on loopback serving ReadChunk from memory, which fails once with UNAVAILABLE
 * at `cutAtOffset`, as a dropped mobile link does. The cloud's own store is tested in
 * cloud/test/integration/ota-artifacts.test.ts.
 */
async function startFakeCloud(cutAtOffset: number): Promise<{ address: string; offsets: number[] }> {
  const offsets: number[] = [];
  let isCut = false;
  const server = new Server();
  server.addService(proto.ota.ArtifactService.service, {
    ReadChunk: (call: ServerUnaryCall<ReadChunkRequest__Output, ArtifactChunk>, callback: sendUnaryData<ArtifactChunk>) => {
      const { offset, maxBytes } = call.request;
      offsets.push(offset);
      if (offset >= cutAtOffset && !isCut) {
        isCut = true;
        callback({ code: status.UNAVAILABLE, details: 'link cut' });
        return;
      }
      callback(null, { offset, data: content.subarray(offset, offset + maxBytes) });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(err);
      else resolve(bound);
    });
  });
  onTestFinished(() => { server.forceShutdown(); });
  return { address: `127.0.0.1:${port}`, offsets };
}

describe('artifact download over coupler.ota.v1.ArtifactService/ReadChunk', () => {
  it('stops at a cut with what it has on disk and resumes there, asking for no byte twice', async () => {
    const cloud = await startFakeCloud(16_384);
    const client = new proto.ota.ArtifactService(cloud.address, credentials.createInsecure());
    onTestFinished(() => { client.close(); });
    const dir = tempDir();
    const source = grpcArtifactSource(client, { deadlineMs: 5_000 });

    await expect(downloadArtifact(manifest, source, dir, 8_192)).rejects.toThrow(`downloading artifact ${manifest.sha256} stopped at byte 16384 of 40000: ReadChunk ${manifest.sha256} at 16384: UNAVAILABLE link cut; it resumes from there`);
    const result = await downloadArtifact(manifest, source, dir, 8_192);

    expect(result.resumedFromBytes).toBe(16_384);
    expect(cloud.offsets).toEqual([0, 8_192, 16_384, 16_384, 24_576, 32_768]);
    expect(readFileSync(`${dir}/${manifest.sha256}.download`).equals(content)).toBe(true);
  });
});
