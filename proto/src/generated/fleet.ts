import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Device as _coupler_fleet_v1_Device, Device__Output as _coupler_fleet_v1_Device__Output } from './coupler/fleet/v1/Device.js';
import type { FleetServiceClient as _coupler_fleet_v1_FleetServiceClient, FleetServiceDefinition as _coupler_fleet_v1_FleetServiceDefinition } from './coupler/fleet/v1/FleetService.js';
import type { Gateway as _coupler_fleet_v1_Gateway, Gateway__Output as _coupler_fleet_v1_Gateway__Output } from './coupler/fleet/v1/Gateway.js';
import type { GatewayLabels as _coupler_fleet_v1_GatewayLabels, GatewayLabels__Output as _coupler_fleet_v1_GatewayLabels__Output } from './coupler/fleet/v1/GatewayLabels.js';
import type { ListGatewaysRequest as _coupler_fleet_v1_ListGatewaysRequest, ListGatewaysRequest__Output as _coupler_fleet_v1_ListGatewaysRequest__Output } from './coupler/fleet/v1/ListGatewaysRequest.js';
import type { ListGatewaysResponse as _coupler_fleet_v1_ListGatewaysResponse, ListGatewaysResponse__Output as _coupler_fleet_v1_ListGatewaysResponse__Output } from './coupler/fleet/v1/ListGatewaysResponse.js';
import type { SetGatewayLabelsRequest as _coupler_fleet_v1_SetGatewayLabelsRequest, SetGatewayLabelsRequest__Output as _coupler_fleet_v1_SetGatewayLabelsRequest__Output } from './coupler/fleet/v1/SetGatewayLabelsRequest.js';
import type { SetGatewayLabelsResponse as _coupler_fleet_v1_SetGatewayLabelsResponse, SetGatewayLabelsResponse__Output as _coupler_fleet_v1_SetGatewayLabelsResponse__Output } from './coupler/fleet/v1/SetGatewayLabelsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coupler: {
    fleet: {
      v1: {
        Device: MessageTypeDefinition<_coupler_fleet_v1_Device, _coupler_fleet_v1_Device__Output>
        FleetService: SubtypeConstructor<typeof grpc.Client, _coupler_fleet_v1_FleetServiceClient> & { service: _coupler_fleet_v1_FleetServiceDefinition }
        Gateway: MessageTypeDefinition<_coupler_fleet_v1_Gateway, _coupler_fleet_v1_Gateway__Output>
        GatewayLabels: MessageTypeDefinition<_coupler_fleet_v1_GatewayLabels, _coupler_fleet_v1_GatewayLabels__Output>
        ListGatewaysRequest: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysRequest, _coupler_fleet_v1_ListGatewaysRequest__Output>
        ListGatewaysResponse: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysResponse, _coupler_fleet_v1_ListGatewaysResponse__Output>
        SetGatewayLabelsRequest: MessageTypeDefinition<_coupler_fleet_v1_SetGatewayLabelsRequest, _coupler_fleet_v1_SetGatewayLabelsRequest__Output>
        SetGatewayLabelsResponse: MessageTypeDefinition<_coupler_fleet_v1_SetGatewayLabelsResponse, _coupler_fleet_v1_SetGatewayLabelsResponse__Output>
      }
    }
  }
}

