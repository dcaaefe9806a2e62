import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from './errors.js';
import type { Registry } from 'prom-client';
import type { DesiredState, DesiredStateLayer, DesiredStateReport__Output, GatewayDesiredState, OtaArtifactKind__Output } from '@coupler/proto';
import { ArtifactStore, loadOrCreateSigningKey, type ArtifactBlobs } from './artifacts/index.js';
import { DesiredStates, type ComposedArtifact, type ComposedState } from './desired/index.js';
import type { ArtifactApi, FleetApi, RolloutApi } from './grpc/index.js';
import type { Identity } from './identity/index.js';
import { createArtifactApi, createRolloutApi, type ArtifactAction } from './ota-api.js';
import type { DesiredLayer } from './records/index.js';
import { registerRolloutMetrics, RolloutController, type FleetMember, type GatewayOutcome, type RolloutRepository } from './rollouts/index.js';
import type { IdentityStore } from './store/index.js';

const WIRE_KIND: Record<string, OtaArtifactKind__Output> = {
  'arduino-firmware': 'ARTIFACT_KIND_ARDUINO_FIRMWARE',
  'flows-bundle': 'ARTIFACT_KIND_FLOWS_BUNDLE',
  'gateway-config': 'ARTIFACT_KIND_GATEWAY_CONFIG',
};
/** A gateway's report of a rollout's items, worst first: any failed item fails the gateway. */
const OUTCOME_ORDER = ['failed', 'rolled_back', 'refused', 'done'] as const;
export const SIGNING_PUBLIC_KEY_FILE = 'artifact-signing-key.pub.pem';

export interface OtaParts {
  artifacts: ArtifactStore;
  desired: DesiredStates;
  controller: RolloutController;
  publicKeyPem: string;
  apis: { operators: ArtifactApi; gateways: ArtifactApi; rollouts: RolloutApi };
  fleetDesired: Pick<FleetApi, 'setDesiredState' | 'getDesiredStateLayer' | 'getGatewayDesiredState'>;
}

/**
 * Part of the composition root (service.ts): artifacts signed by the fleet key, the desired
 * state of every gateway, and rollouts that move it in waves, wired to each other and to the
 * gRPC server's push (`push`, `connected`), which is built after this.
 */
export function createOtaParts(
  deps: {
    dataDir: string;
    /** Files in the data folder (embedded store) or the fleet's PostgreSQL (docs/decisions/0085). */
    storage: { rollouts: RolloutRepository; artifacts: ArtifactBlobs };
    /** identity.artifactSigningKeyFile; empty: <dataDir>/identity/artifact-signing-key.pem, created on first start. */
    signingKeyFile: string;
    /** Several processes share the store (PostgreSQL): they must share the signing key too. */
    isSharedStore: boolean;
    identity: Identity;
    identityStore: IdentityStore;
    fleet: () => Promise<FleetMember[]>;
    push: (gatewayId: string, desired: DesiredState) => void;
    connected: () => string[];
    /** grpc.tls insecure (development): gateways have no certificate, so reading artifacts needs no key. */
    isInsecure: boolean;
    /** Rollouts run on the leader only; elsewhere rollout calls are refused (CPL_ERR_NOT_LEADER). */
    isLeader: () => boolean;
    metrics: Registry;
    logger: Logger;
  },
): OtaParts {
  const { identity, identityStore, logger } = deps;
  const key = deps.signingKeyFile
    ? loadOrCreateSigningKey(deps.signingKeyFile, { mayCreate: false })
    : loadOrCreateSigningKey(join(deps.dataDir, 'identity', 'artifact-signing-key.pem'));
  if (!deps.signingKeyFile && deps.isSharedStore) {
    logger.warn('identity.artifactSigningKeyFile is empty: this process signs artifacts with a key of its own data folder; give every cloud process of the fleet the same file');
  }
  // Operators hand this to gateways with their provisioning (edge ota.publicKeyFile).
  mkdirSync(join(deps.dataDir, 'identity'), { recursive: true });
  writeFileSync(join(deps.dataDir, 'identity', SIGNING_PUBLIC_KEY_FILE), key.publicKeyPem);
  const artifacts = new ArtifactStore(deps.storage.artifacts, key, Date.now);
  const signed = async (sha256: string) => {
    const stored = await artifacts.get(sha256);
    return stored && { ...stored.manifest, signature: stored.signature };
  };
  const desired = new DesiredStates(
    {
      layers: identityStore,
      labels: (gatewayId) => identityStore.getGatewayLabels(gatewayId),
      artifact: signed,
      push: (gatewayId, state) => { deps.push(gatewayId, toWire(state)); },
      connectedGateways: deps.connected,
      now: Date.now,
    },
    logger.child({ module: 'desired' }),
  );
  const controller = new RolloutController({
    desired: {
      setTarget: (gatewayId, artifact, rolloutId) => {
        desired.setGatewayTarget(gatewayId, artifact, rolloutId).catch((err: unknown) => {
          logger.error({ err, gatewayId, rolloutId }, 'rollout target not set');
        });
      },
    },
    repository: deps.storage.rollouts,
    timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); } },
    now: Date.now,
    logger: logger.child({ module: 'rollouts' }),
  });
  registerRolloutMetrics(deps.metrics, () => controller.list());
  // Gateways report every item at every hello; the controller ignores a report that changes nothing.
  desired.onReport(({ gatewayId, items }) => {
    for (const [rolloutId, outcome, reason] of rolloutOutcomes(items)) {
      controller.report(rolloutId, gatewayId, outcome, reason).catch((err: unknown) => {
        if (err instanceof CouplerError && err.code === CloudErrorCode.requestInvalid) logger.debug({ err, gatewayId, rolloutId }, 'report of a rollout this controller does not run');
        else logger.error({ err, gatewayId, rolloutId }, 'report of a rollout not saved; the gateway sends it again at its next hello');
      });
    }
  });
  const authorize = (action: ArtifactAction) => (auth: string | undefined) =>
    identity.authorizeRead(action === 'read' ? 'ReadArtifact' : action === 'upload' ? 'UploadArtifact' : 'SteerRollout', auth).then(() => undefined);
  const operators = createArtifactApi(artifacts, (auth, action) =>
    deps.isInsecure && action === 'read' && auth === undefined ? Promise.resolve() : authorize(action)(auth),
  );
  // The sync port admits a call only with a gateway's certificate that is not revoked; reads only.
  const gateways = createArtifactApi(artifacts, (_auth, action) =>
    action === 'read' ? Promise.resolve() : identity.authorizeRead('UploadArtifact', undefined).then(() => undefined),
  );
  const rollouts = leaderOnly(auditedRollouts(createRolloutApi({ controller, artifacts, fleet: deps.fleet, authorize: (auth, action) => authorize(action)(auth) }), identity), deps.isLeader);
  return {
    artifacts,
    desired,
    controller,
    publicKeyPem: key.publicKeyPem,
    apis: { operators, gateways, rollouts },
    fleetDesired: {
      setDesiredState: (auth, layer) =>
        identity.change('SetDesiredState', auth, {
          target: `desired:${layer.scope}`,
          run: async () => {
            const { before, after } = await desired.setLayer({ scope: layer.scope, firmwareSha256: { ...layer.firmwareSha256 }, flowsSha256: layer.flowsSha256, configSha256: layer.configSha256 });
            return { result: layerMessage(after), before: before ?? null, after };
          },
        }),
      getDesiredStateLayer: async (auth, scope) => {
        await identity.authorizeRead('GetDesiredState', auth);
        return layerMessage((await desired.getLayer(scope)) ?? { scope, firmware: {}, revision: 0, updatedAtMs: 0 });
      },
      getGatewayDesiredState: async (auth, gatewayId): Promise<GatewayDesiredState> => {
        await identity.authorizeRead('GetDesiredState', auth);
        const report = await desired.lastReport(gatewayId);
        return { gatewayId, desired: toWire(await desired.composeFor(gatewayId)), ...(report ? { applied: { revision: report.revision, items: report.items } } : {}) };
      },
    },
  };
}

/** Per rollout named in the report's items: the gateway's outcome once every item has ended. */
function rolloutOutcomes(items: DesiredStateReport__Output['items']): [string, GatewayOutcome, string | undefined][] {
  const byRollout = new Map<string, typeof items>();
  for (const item of items) if (item.rolloutId) byRollout.set(item.rolloutId, [...(byRollout.get(item.rolloutId) ?? []), item]);
  return [...byRollout].flatMap(([rolloutId, of]) => {
    if (of.some((item) => item.outcome === 'in_progress')) return [];
    const worst = OUTCOME_ORDER.find((outcome) => of.some((item) => item.outcome === outcome));
    if (!worst) return [];
    const reason = of.filter((item) => item.outcome === worst && item.reason).map((item) => (item.deviceId ? `${item.deviceId}: ${item.reason}` : item.reason)).join('; ');
    return [[rolloutId, worst, reason || undefined]];
  });
}

/** Rollout changes go through the audit log like every other admin change. */
function auditedRollouts(inner: RolloutApi, identity: Identity): RolloutApi {
  const steer = (name: 'resume' | 'abort' | 'rollback') => (rolloutId: string, auth: string | undefined) =>
    identity.change('SteerRollout', auth, {
      target: `rollout:${rolloutId}`,
      run: async () => {
        const view = await inner[name](rolloutId, auth);
        return { result: view, before: null, after: { action: name, status: view.status } };
      },
    });
  return {
    create: (request, auth) =>
      identity.change('CreateRollout', auth, {
        target: `rollout:${request.rolloutId}`,
        run: async () => {
          const view = await inner.create(request, auth);
          return { result: view, before: null, after: { artifactSha256: request.artifactSha256, gateways: view.waves.reduce((n, w) => n + w.gatewayIds.length, 0) } };
        },
      }),
    get: (rolloutId, auth) => inner.get(rolloutId, auth),
    resume: steer('resume'),
    abort: steer('abort'),
    rollback: steer('rollback'),
  };
}

function leaderOnly(inner: RolloutApi, isLeader: () => boolean): RolloutApi {
  const refused = () => Promise.reject(new CouplerError(CloudErrorCode.notLeader, 'rollouts run on the leading cloud process, and this one does not lead now; retry'));
  return {
    create: (request, auth) => (isLeader() ? inner.create(request, auth) : refused()),
    get: (rolloutId, auth) => (isLeader() ? inner.get(rolloutId, auth) : refused()),
    resume: (rolloutId, auth) => (isLeader() ? inner.resume(rolloutId, auth) : refused()),
    abort: (rolloutId, auth) => (isLeader() ? inner.abort(rolloutId, auth) : refused()),
    rollback: (rolloutId, auth) => (isLeader() ? inner.rollback(rolloutId, auth) : refused()),
  };
}

export function layerMessage(layer: DesiredLayer): DesiredStateLayer {
  return {
    scope: layer.scope,
    firmwareSha256: Object.fromEntries(Object.entries(layer.firmware).map(([device, ref]) => [device, ref.sha256])),
    flowsSha256: layer.flows?.sha256 ?? '',
    revision: layer.revision,
    updatedMs: layer.updatedAtMs,
    configSha256: layer.config?.sha256 ?? '',
    templates: layer.templates ?? [],
  };
}

function artifactMessage({ artifact, rolloutId }: ComposedArtifact) {
  return {
    artifact: { kind: WIRE_KIND[artifact.kind] ?? 'ARTIFACT_KIND_UNSPECIFIED', version: artifact.version, sizeBytes: artifact.size, sha256: artifact.sha256, created: artifact.created, signature: Buffer.from(artifact.signature) },
    rolloutId,
  };
}

function toWire(state: ComposedState): DesiredState {
  return {
    revision: state.revision,
    firmware: state.firmware.map((item) => ({ deviceId: item.deviceId, artifact: artifactMessage(item.artifact) })),
    ...(state.flows ? { flows: artifactMessage(state.flows) } : {}),
    ...(state.config ? { config: artifactMessage(state.config) } : {}),
  };
}
