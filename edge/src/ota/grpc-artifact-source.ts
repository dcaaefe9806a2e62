import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { ArtifactChunk__Output, ArtifactServiceClient } from '@coupler/proto';
import type { ArtifactSource } from './ports.js';

export const READ_CHUNK_DEADLINE_MS = 30_000;

/**
 * The cloud's artifact store as the executor's source: coupler.ota.v1.ArtifactService/ReadChunk,
 * one call per chunk with its own deadline, so a cut link costs at most the chunk in flight.
 */
export function grpcArtifactSource(client: ArtifactServiceClient, options: { deadlineMs?: number; metadata?: () => Metadata } = {}): ArtifactSource {
  return {
    readChunk: (sha256, offset, maxBytes) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + (options.deadlineMs ?? READ_CHUNK_DEADLINE_MS);
        client.ReadChunk({ sha256, offset, maxBytes }, options.metadata?.() ?? new Metadata(), { deadline }, (err: ServiceError | null, chunk?: ArtifactChunk__Output) => {
          if (err) reject(new Error(`ReadChunk ${sha256} at ${offset}: ${status[err.code]} ${err.details}`, { cause: err }));
          else if (chunk?.offset !== offset) reject(new Error(`ReadChunk ${sha256}: asked for offset ${offset}, the cloud sent ${chunk?.offset ?? 'nothing'}`));
          else resolve(chunk.data);
        });
      }),
  };
}
