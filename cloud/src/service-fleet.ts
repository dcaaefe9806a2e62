import { listFleetGateways, validateLabels, type FleetState } from './fleet/index.js';
import type { FleetApi, IdentityApi } from './grpc/index.js';
import { roleFromWire, type Identity } from './identity/index.js';
import type { FleetMember } from './rollouts/index.js';
import type { IdentityStore, TelemetryStore } from './store/index.js';

/** Part of the composition root (service.ts): the identity RPCs, bound to the identity capability. */
export function identityApi(identity: Identity): IdentityApi {
  return {
    enroll: (input) => identity.enroll(input),
    createBootstrapToken: (auth, request) => identity.createBootstrapToken(auth, request),
    revokeGateway: (auth, request) => identity.revokeGateway(auth, request),
    createApiKey: (auth, request) => identity.createApiKey(auth, { name: request.name, role: roleFromWire(request.role) }),
    revokeApiKey: (auth, request) => identity.revokeApiKey(auth, request),
    listAuditEvents: (auth, request) => identity.listAuditEvents(auth, request),
    gatewayOfCertificate: (der) => identity.gatewayOfCertificate(der),
  };
}

interface FleetSources {
  identity: Identity;
  identityStore: IdentityStore;
  store: TelemetryStore;
  sessions: FleetState;
}

/**
 * The fleet RPCs on gateways and labels. A label change re-composes the gateway's desired
 * state (`labelsChanged`), since line and train choose its layers.
 */
export function fleetLabelsApi(
  { identity, identityStore, store, sessions }: FleetSources,
  labelsChanged: (gatewayId: string) => Promise<void>,
): Pick<FleetApi, 'listGateways' | 'setGatewayLabels'> {
  return {
    listGateways: async (auth, filter) => {
      await identity.authorizeRead('ListGateways', auth);
      return listFleetGateways({
        sessions: () => sessions.list(Date.now()),
        stored: () => store.listGateways(),
        enrolled: () => identity.enrolledGateways(),
        labels: () => identityStore.listGatewayLabels(),
        filter,
      });
    },
    setGatewayLabels: (auth, request) =>
      identity.change('SetGatewayLabels', auth, {
        target: `gateway:${request.gatewayId}`,
        run: async () => {
          const labels = validateLabels(request.labels, request.gatewayId);
          const before = await identityStore.getGatewayLabels(request.gatewayId);
          await identityStore.putGatewayLabels(request.gatewayId, labels);
          await labelsChanged(request.gatewayId);
          return { result: labels, before: before ?? null, after: labels };
        },
      }),
  };
}

/**
 * Every gateway the cloud knows (labelled, enrolled, with records in the store, or seen on a
 * stream of this process) with its tags and groups, so a rollout may name gateways by id
 * whether or not they carry labels.
 */
export async function fleetMembers({ identity, identityStore, store, sessions }: FleetSources): Promise<FleetMember[]> {
  const labelled = new Map((await identityStore.listGatewayLabels()).map(({ gatewayId, labels }) => [gatewayId, labels]));
  const stored = (await store.listGateways()).map((g) => g.gatewayId);
  const ids = new Set([...labelled.keys(), ...(await identity.enrolledGateways()), ...stored, ...sessions.list(Date.now()).map((g) => g.gatewayId)]);
  return [...ids].map((gatewayId) => {
    const labels = labelled.get(gatewayId);
    return {
      gatewayId,
      tags: labels?.tags ?? [],
      groups: labels ? [labels.train && `train:${labels.train}`, labels.line && `line:${labels.line}`].filter((g) => g !== '') : [],
    };
  });
}
