import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { GetDesiredStateLayerRequest__Output, GetGatewayDesiredStateRequest__Output, ListGatewaysRequest__Output, SetDesiredStateRequest__Output, SetGatewayLabelsRequest__Output } from '@coupler/proto';
import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
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
    SetDesiredState: unary('SetDesiredState', context, async (request: SetDesiredStateRequest__Output, auth) => {
      if (!request.layer) throw new CouplerError(CloudErrorCode.requestInvalid, 'layer: required');
      return fleet.setDesiredState(auth, request.layer);
    }),
    GetDesiredStateLayer: unary('GetDesiredStateLayer', context, (request: GetDesiredStateLayerRequest__Output, auth) =>
      fleet.getDesiredStateLayer(auth, request.scope),
    ),
    GetGatewayDesiredState: unary('GetGatewayDesiredState', context, (request: GetGatewayDesiredStateRequest__Output, auth) =>
      fleet.getGatewayDesiredState(auth, request.gatewayId),
    ),
  };
}
