import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { OtaArtifact__Output, OtaArtifactKind__Output, UploadStatus__Output } from '@coupler/proto';
import { positional, required, sha256Of, type Command } from './command.js';
import { CallError, type Connection } from './connection.js';
import { UsageError } from './settings.js';

/** Small enough for one unary message with room to spare, large enough to keep round trips few. */
export const CHUNK_BYTES = 256 * 1024;

const KINDS: Record<string, OtaArtifactKind__Output> = {
  'arduino-firmware': 'ARTIFACT_KIND_ARDUINO_FIRMWARE',
  'flows-bundle': 'ARTIFACT_KIND_FLOWS_BUNDLE',
  'gateway-config': 'ARTIFACT_KIND_GATEWAY_CONFIG',
};

/** The signed manifest as scripts read it: the kind by its CLI name, the signature in base64. */
export interface ArtifactJson {
  kind: string;
  version: string;
  sizeBytes: number;
  sha256: string;
  created: string;
  signature: string;
}

function artifactJson(artifact: OtaArtifact__Output): ArtifactJson {
  const kind = Object.entries(KINDS).find(([, wire]) => wire === artifact.kind)?.[0] ?? artifact.kind;
  return { kind, version: artifact.version, sizeBytes: artifact.sizeBytes, sha256: artifact.sha256, created: artifact.created, signature: artifact.signature.toString('base64') };
}

function manifestText(artifact: ArtifactJson): string {
  return [`kind       ${artifact.kind}`, `version    ${artifact.version}`, `size       ${artifact.sizeBytes} bytes`, `sha256     ${artifact.sha256}`, `created    ${artifact.created}`, `signature  ${artifact.signature}`].join('\n');
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    return info.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Sends the bytes from where the cloud's upload stands; the cloud refuses any other offset. */
async function sendChunks(c: Connection, file: string, uploadId: string, from: number, size: number): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let offset = from;
    const buffer = Buffer.alloc(CHUNK_BYTES);
    while (offset < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - offset), offset);
      if (bytesRead === 0) throw new CallError(`${file} ended at ${offset} bytes while uploading; it changed under the upload`);
      const status = await c.unary<UploadStatus__Output>((md, opts, cb) => c.artifacts.uploadChunk({ uploadId, offset, data: buffer.subarray(0, bytesRead) }, md, opts, cb));
      offset = status.receivedBytes;
    }
  } finally {
    await handle.close();
  }
}

const getArtifact = (c: Connection, sha256: string) => c.unary<OtaArtifact__Output>((md, opts, cb) => c.artifacts.getArtifact({ sha256 }, md, opts, cb));

export const ARTIFACT_COMMANDS: Record<string, Command> = {
  'artifacts upload': {
    usage: 'artifacts upload <file> --kind arduino-firmware|flows-bundle|gateway-config --version X',
    summary: 'upload in 256 KiB chunks (resuming an earlier upload); prints the signed manifest',
    run: async (c, input) => {
      const file = positional(input, 0, 'file');
      const kindName = required(input, 'kind', 'arduino-firmware, flows-bundle or gateway-config');
      const kind = KINDS[kindName];
      if (kind === undefined) throw new UsageError(`--kind must be arduino-firmware, flows-bundle or gateway-config (got ${JSON.stringify(kindName)})`);
      const version = required(input, 'version', 'the artifact\'s semantic version, e.g. 0.2.0');
      const size = await fileSize(file);
      const sha256 = await sha256OfFile(file);
      const begun = await c.unary<UploadStatus__Output>((md, opts, cb) => c.artifacts.beginUpload({ kind, version, sizeBytes: size, sha256 }, md, opts, cb));
      const resumedFromBytes = begun.receivedBytes;
      // All bytes there: stored already (the cloud answers so for a known SHA-256), or sent but not completed.
      const stored = resumedFromBytes === size ? await getArtifact(c, sha256).catch(() => undefined) : undefined;
      let artifact = stored;
      if (!artifact) {
        await sendChunks(c, file, begun.uploadId, resumedFromBytes, size);
        artifact = await c.unary<OtaArtifact__Output>((md, opts, cb) => c.artifacts.completeUpload({ uploadId: begun.uploadId }, md, opts, cb));
      }
      const manifest = artifactJson(artifact);
      const how = stored ? 'was stored already' : resumedFromBytes > 0 ? `uploaded, resumed at ${resumedFromBytes} of ${size} bytes` : `uploaded, ${size} bytes`;
      return {
        json: { file, ...manifest, resumedFromBytes, wasStored: stored !== undefined },
        text: `${file} ${how}\n${manifestText(manifest)}`,
      };
    },
  },
  'artifacts show': {
    usage: 'artifacts show <sha256>',
    summary: 'an artifact\'s signed manifest',
    run: async (c, input) => {
      const manifest = artifactJson(await getArtifact(c, sha256Of(positional(input, 0, 'sha256'), '<sha256>')));
      return { json: manifest, text: manifestText(manifest) };
    },
  },
};
