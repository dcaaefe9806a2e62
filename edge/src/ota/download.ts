import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CouplerError, type ArtifactManifest } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import type { ArtifactSource } from './ports.js';
import { fsyncFolder } from '../lib/index.js';

export const DEFAULT_CHUNK_BYTES = 16 * 1024;

export interface DownloadResult {
  content: Uint8Array;
  /** Bytes that were already on disk from an earlier, cut download. */
  resumedFromBytes: number;
  chunks: number;
}

/**
 * Fetches an artifact in chunks into `<folder>/<sha256>.part`, each chunk appended and fsynced,
 * so a cut link or a killed process resumes from what is on disk. A complete download is
 * renamed to `<sha256>.download`. Its content is not trusted yet: verify it before use.
 */
export async function downloadArtifact(manifest: ArtifactManifest, source: ArtifactSource, folder: string, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<DownloadResult> {
  mkdirSync(folder, { recursive: true });
  const complete = join(folder, `${manifest.sha256}.download`);
  const partial = join(folder, `${manifest.sha256}.part`);
  if (sizeOf(complete) === manifest.size) return { content: readFileSync(complete), resumedFromBytes: manifest.size, chunks: 0 };
  let offset = sizeOf(partial) ?? 0;
  // Longer than the manifest says: not a prefix of this artifact, start again.
  if (offset > manifest.size) {
    truncateSync(partial, 0);
    offset = 0;
  }
  const resumedFromBytes = offset;
  let chunks = 0;
  const fd = openSync(partial, 'a', 0o600);
  try {
    while (offset < manifest.size) {
      let chunk: Uint8Array;
      try {
        chunk = await source.readChunk(manifest.sha256, offset, Math.min(chunkBytes, manifest.size - offset));
      } catch (err) {
        throw new CouplerError(EdgeErrorCode.otaDownloadFailed, `downloading artifact ${manifest.sha256} stopped at byte ${offset} of ${manifest.size}: ${(err as Error).message}; it resumes from there`, { cause: err });
      }
      if (chunk.length === 0) throw new CouplerError(EdgeErrorCode.otaDownloadFailed, `the artifact source returned no bytes at offset ${offset} of ${manifest.size} for ${manifest.sha256}`);
      const usable = chunk.subarray(0, manifest.size - offset);
      writeSync(fd, usable);
      fsyncSync(fd);
      offset += usable.length;
      chunks++;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, complete);
  fsyncFolder(folder);
  return { content: readFileSync(complete), resumedFromBytes, chunks };
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
