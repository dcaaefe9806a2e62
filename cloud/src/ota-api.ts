import type { ArtifactStore, StoredArtifact } from './artifacts/index.js';
import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from './errors.js';
import type { ArtifactApi, ArtifactView, RolloutApi, RolloutView } from './grpc/index.js';
import { selectGateways, type ArtifactRef, type FleetMember, type RolloutController, type RolloutState } from './rollouts/index.js';

/** Who may do what: operators upload and steer rollouts; gateways and viewers read. */
export type ArtifactAction = 'upload' | 'read' | 'steer';
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
      return view(await store.complete(uploadId));
    },
    get: async (sha256, auth) => {
      await authorize(auth, 'read');
      const stored = await store.get(sha256);
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

export interface RolloutApiParts {
  controller: RolloutController;
  artifacts: ArtifactStore;
  /** The fleet with tags and groups, to resolve a selector. */
  fleet: () => Promise<FleetMember[]>;
  authorize: Authorize;
}

/** Binds the RolloutService transport to the rollout controller, resolving artifacts and selectors. */
export function createRolloutApi({ controller, artifacts, fleet, authorize }: RolloutApiParts): RolloutApi {
  const ref = async (sha256: string, field: string): Promise<ArtifactRef> => {
    const stored = await artifacts.get(sha256);
    if (!stored) throw new CouplerError(CloudErrorCode.requestInvalid, `${field}: there is no artifact ${sha256}`);
    return { kind: stored.manifest.kind, version: stored.manifest.version, sha256 };
  };
  const steer = (action: (id: string) => Promise<RolloutState>) => async (rolloutId: string, auth: string | undefined) => {
    await authorize(auth, 'steer');
    return rolloutView(await action(rolloutId));
  };
  return {
    create: async (request, auth) => {
      await authorize(auth, 'steer');
      let gatewayIds: string[];
      try {
        gatewayIds = selectGateways(request.selector, await fleet());
      } catch (err) {
        throw new CouplerError(CloudErrorCode.requestInvalid, (err as Error).message, { cause: err });
      }
      const state = await controller.create({
        rolloutId: request.rolloutId,
        target: await ref(request.artifactSha256, 'artifactSha256'),
        ...(request.previousSha256 === undefined ? {} : { previous: await ref(request.previousSha256, 'previousSha256') }),
        gatewayIds,
        ...(request.waveFractions === undefined ? {} : { waveFractions: request.waveFractions }),
        failureThreshold: request.failureThreshold,
        waveTimeoutMs: request.waveTimeoutMs,
      });
      return rolloutView(state);
    },
    get: async (rolloutId, auth) => {
      await authorize(auth, 'read');
      return rolloutView(controller.view(rolloutId));
    },
    resume: steer((id) => controller.resume(id)),
    abort: steer((id) => controller.abort(id)),
    rollback: steer((id) => controller.rollback(id)),
  };
}

function rolloutView(state: RolloutState): RolloutView {
  return {
    rolloutId: state.plan.rolloutId,
    status: state.status,
    targetVersion: state.plan.target.version,
    ...(state.plan.previous ? { previousVersion: state.plan.previous.version } : {}),
    currentWave: state.currentWave,
    waves: state.waves,
    ...(state.pausedReason === undefined ? {} : { pausedReason: state.pausedReason }),
    history: state.history,
  };
}
