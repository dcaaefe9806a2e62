import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ListGatewaysRequest__Output, SetGatewayLabelsRequest__Output } from '@coupler/proto';
import type { FleetApi } from '../ports.js';
import { unary, type UnaryContext } from './unary.js';

/** coupler.fleet.v1.FleetService: roles are checked and changes audited by the fleet port. */
export function fleetHandlers(
  fleet: FleetApi,
  context: UnaryContext,
): UntypedServiceImplementation {
  return {
    ListGateways: unary(
      'ListGateways',
      context,
      async (request: ListGatewaysRequest__Output, auth) => ({
        gateways: await fleet.listGateways(auth, {
          train: request.train,
          line: request.line,
          tag: request.tag,
        }),
      }),
    ),
    SetGatewayLabels: unary(
      'SetGatewayLabels',
      context,
      async (request: SetGatewayLabelsRequest__Output, auth) => ({
        labels: await fleet.setGatewayLabels(auth, {
          gatewayId: request.gatewayId,
          labels: request.labels ?? undefined,
        }),
      }),
    ),
  };
}
