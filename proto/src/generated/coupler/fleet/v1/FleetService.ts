// Original file: proto/coupler/fleet/v1/fleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListGatewaysRequest as _coupler_fleet_v1_ListGatewaysRequest, ListGatewaysRequest__Output as _coupler_fleet_v1_ListGatewaysRequest__Output } from '../../../coupler/fleet/v1/ListGatewaysRequest.js';
import type { ListGatewaysResponse as _coupler_fleet_v1_ListGatewaysResponse, ListGatewaysResponse__Output as _coupler_fleet_v1_ListGatewaysResponse__Output } from '../../../coupler/fleet/v1/ListGatewaysResponse.js';
import type { SetGatewayLabelsRequest as _coupler_fleet_v1_SetGatewayLabelsRequest, SetGatewayLabelsRequest__Output as _coupler_fleet_v1_SetGatewayLabelsRequest__Output } from '../../../coupler/fleet/v1/SetGatewayLabelsRequest.js';
import type { SetGatewayLabelsResponse as _coupler_fleet_v1_SetGatewayLabelsResponse, SetGatewayLabelsResponse__Output as _coupler_fleet_v1_SetGatewayLabelsResponse__Output } from '../../../coupler/fleet/v1/SetGatewayLabelsResponse.js';

export interface FleetServiceClient extends grpc.Client {
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  
  SetGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  SetGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  SetGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  SetGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  setGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  setGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  setGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  setGatewayLabels(argument: _coupler_fleet_v1_SetGatewayLabelsRequest, callback: grpc.requestCallback<_coupler_fleet_v1_SetGatewayLabelsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FleetServiceHandlers extends grpc.UntypedServiceImplementation {
  ListGateways: grpc.handleUnaryCall<_coupler_fleet_v1_ListGatewaysRequest__Output, _coupler_fleet_v1_ListGatewaysResponse>;
  
  SetGatewayLabels: grpc.handleUnaryCall<_coupler_fleet_v1_SetGatewayLabelsRequest__Output, _coupler_fleet_v1_SetGatewayLabelsResponse>;
  
}

export interface FleetServiceDefinition extends grpc.ServiceDefinition {
  ListGateways: MethodDefinition<_coupler_fleet_v1_ListGatewaysRequest, _coupler_fleet_v1_ListGatewaysResponse, _coupler_fleet_v1_ListGatewaysRequest__Output, _coupler_fleet_v1_ListGatewaysResponse__Output>
  SetGatewayLabels: MethodDefinition<_coupler_fleet_v1_SetGatewayLabelsRequest, _coupler_fleet_v1_SetGatewayLabelsResponse, _coupler_fleet_v1_SetGatewayLabelsRequest__Output, _coupler_fleet_v1_SetGatewayLabelsResponse__Output>
}
