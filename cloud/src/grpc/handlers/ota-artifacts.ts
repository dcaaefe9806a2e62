import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import type {
  ArtifactChunk,
  BeginUploadRequest__Output,
  OtaArtifact,
  OtaArtifactKind__Output,
  ReadChunkRequest__Output,
  UploadChunkRequest__Output,
  UploadStatus,
} from '@coupler/proto';
import { CloudErrorCode } from '../../errors.js';
import { CouplerError } from '@coupler/kit';
import { unary, type UnaryContext } from './unary.js';

type Kind = 'arduino-firmware' | 'flows-bundle' | 'gateway-config';

export interface ArtifactView {
  kind: Kind;
  version: string;
  size: number;
  sha256: string;
  created: string;
  signature: Uint8Array;
}

export interface UploadView {
  uploadId: string;
  receivedBytes: number;
  size: number;
}

/** What the ArtifactService calls; the root checks the caller (operator key, gateway certificate). */
export interface ArtifactApi {
  beginUpload(declared: { kind: Kind; version: string; size: number; sha256: string }, authorization: string | undefined): Promise<UploadView>;
  appendChunk(uploadId: string, offset: number, data: Uint8Array, authorization: string | undefined): Promise<UploadView>;
  complete(uploadId: string, authorization: string | undefined): Promise<ArtifactView>;
  get(sha256: string, authorization: string | undefined): Promise<ArtifactView>;
  readChunk(sha256: string, offset: number, maxBytes: number, authorization: string | undefined): Promise<Uint8Array>;
}

const KINDS: Record<Kind, OtaArtifactKind__Output> = {
  'arduino-firmware': 'ARTIFACT_KIND_ARDUINO_FIRMWARE',
  'flows-bundle': 'ARTIFACT_KIND_FLOWS_BUNDLE',
  'gateway-config': 'ARTIFACT_KIND_GATEWAY_CONFIG',
};

/** coupler.ota.v1.ArtifactService: maps messages to the ArtifactApi and nothing else. */
export function artifactHandlers(artifacts: ArtifactApi, logger: Logger, context: Omit<UnaryContext, 'logger'> = {}): UntypedServiceImplementation {
  const c = { ...context, logger };
  return {
    BeginUpload: unary('BeginUpload', c, async (request: BeginUploadRequest__Output, auth): Promise<UploadStatus> => {
      const kind = kindOf(request.kind);
      return uploadStatus(await artifacts.beginUpload({ kind, version: request.version, size: request.sizeBytes, sha256: request.sha256 }, auth));
    }),
    UploadChunk: unary('UploadChunk', c, async (request: UploadChunkRequest__Output, auth): Promise<UploadStatus> =>
      uploadStatus(await artifacts.appendChunk(request.uploadId, request.offset, request.data, auth)),
    ),
    CompleteUpload: unary('CompleteUpload', c, async (request: { uploadId: string }, auth): Promise<OtaArtifact> => artifactMessage(await artifacts.complete(request.uploadId, auth))),
    GetArtifact: unary('GetArtifact', c, async (request: { sha256: string }, auth): Promise<OtaArtifact> => artifactMessage(await artifacts.get(request.sha256, auth))),
    ReadChunk: unary('ReadChunk', c, async (request: ReadChunkRequest__Output, auth): Promise<ArtifactChunk> => ({
      offset: request.offset,
      data: Buffer.from(await artifacts.readChunk(request.sha256, request.offset, request.maxBytes, auth)),
    })),
  };
}

function kindOf(kind: OtaArtifactKind__Output): Kind {
  const found = (Object.entries(KINDS) as [Kind, OtaArtifactKind__Output][]).find(([, wire]) => wire === kind);
  if (!found) throw new CouplerError(CloudErrorCode.requestInvalid, `kind: must be one of ${Object.values(KINDS).join(', ')} (got ${kind})`);
  return found[0];
}

const uploadStatus = (view: UploadView): UploadStatus => ({ uploadId: view.uploadId, receivedBytes: view.receivedBytes, sizeBytes: view.size });

const artifactMessage = (view: ArtifactView): OtaArtifact => ({
  kind: KINDS[view.kind],
  version: view.version,
  sizeBytes: view.size,
  sha256: view.sha256,
  created: view.created,
  signature: Buffer.from(view.signature),
});
