import type { ArtifactStore, StoredArtifact } from './artifacts/index.js';
import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from './errors.js';
import type { ArtifactApi, ArtifactView } from './grpc/index.js';

/** Who may do what with artifacts: operators upload, gateways (and viewers) read. */
export type ArtifactAction = 'upload' | 'read';
export type Authorize = (authorization: string | undefined, action: ArtifactAction) => Promise<void>;

/**
 * Binds the ArtifactService transport to the artifact store; `authorize` (the identity
 * capability: API key roles, gateway certificates) rejects callers before anything is done.
 */
export function createArtifactApi(store: ArtifactStore, authorize: Authorize): ArtifactApi {
  return {
    beginUpload: async (declared, auth) => {
      await authorize(auth, 'upload');
      return store.beginUpload(declared);
    },
    appendChunk: async (uploadId, offset, data, auth) => {
      await authorize(auth, 'upload');
      return store.appendChunk(uploadId, offset, data);
    },
    complete: async (uploadId, auth) => {
      await authorize(auth, 'upload');
      return view(store.complete(uploadId));
    },
    get: async (sha256, auth) => {
      await authorize(auth, 'read');
      const stored = store.get(sha256);
      if (!stored) throw new CouplerError(CloudErrorCode.requestInvalid, `there is no artifact ${sha256}`);
      return view(stored);
    },
    readChunk: async (sha256, offset, maxBytes, auth) => {
      await authorize(auth, 'read');
      return store.readChunk(sha256, offset, maxBytes);
    },
  };
}

const view = (stored: StoredArtifact): ArtifactView => ({ ...stored.manifest, signature: stored.signature });
