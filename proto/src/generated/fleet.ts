import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { FleetServiceClient as _coupler_fleet_v1_FleetServiceClient, FleetServiceDefinition as _coupler_fleet_v1_FleetServiceDefinition } from './coupler/fleet/v1/FleetService.js';
import type { Gateway as _coupler_fleet_v1_Gateway, Gateway__Output as _coupler_fleet_v1_Gateway__Output } from './coupler/fleet/v1/Gateway.js';
import type { ListGatewaysRequest as _coupler_fleet_v1_ListGatewaysRequest, ListGatewaysRequest__Output as _coupler_fleet_v1_ListGatewaysRequest__Output } from './coupler/fleet/v1/ListGatewaysRequest.js';
import type { ListGatewaysResponse as _coupler_fleet_v1_ListGatewaysResponse, ListGatewaysResponse__Output as _coupler_fleet_v1_ListGatewaysResponse__Output } from './coupler/fleet/v1/ListGatewaysResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coupler: {
    fleet: {
      v1: {
        FleetService: SubtypeConstructor<typeof grpc.Client, _coupler_fleet_v1_FleetServiceClient> & { service: _coupler_fleet_v1_FleetServiceDefinition }
        Gateway: MessageTypeDefinition<_coupler_fleet_v1_Gateway, _coupler_fleet_v1_Gateway__Output>
        ListGatewaysRequest: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysRequest, _coupler_fleet_v1_ListGatewaysRequest__Output>
        ListGatewaysResponse: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysResponse, _coupler_fleet_v1_ListGatewaysResponse__Output>
      }
    }
  }
}

