// Original file: proto/coupler/fleet/v1/fleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DesiredStateLayer as _coupler_fleet_v1_DesiredStateLayer, DesiredStateLayer__Output as _coupler_fleet_v1_DesiredStateLayer__Output } from '../../../coupler/fleet/v1/DesiredStateLayer.js';
import type { GatewayDesiredState as _coupler_fleet_v1_GatewayDesiredState, GatewayDesiredState__Output as _coupler_fleet_v1_GatewayDesiredState__Output } from '../../../coupler/fleet/v1/GatewayDesiredState.js';
import type { GetDesiredStateLayerRequest as _coupler_fleet_v1_GetDesiredStateLayerRequest, GetDesiredStateLayerRequest__Output as _coupler_fleet_v1_GetDesiredStateLayerRequest__Output } from '../../../coupler/fleet/v1/GetDesiredStateLayerRequest.js';
import type { GetGatewayDesiredStateRequest as _coupler_fleet_v1_GetGatewayDesiredStateRequest, GetGatewayDesiredStateRequest__Output as _coupler_fleet_v1_GetGatewayDesiredStateRequest__Output } from '../../../coupler/fleet/v1/GetGatewayDesiredStateRequest.js';
import type { ListGatewaysRequest as _coupler_fleet_v1_ListGatewaysRequest, ListGatewaysRequest__Output as _coupler_fleet_v1_ListGatewaysRequest__Output } from '../../../coupler/fleet/v1/ListGatewaysRequest.js';
import type { ListGatewaysResponse as _coupler_fleet_v1_ListGatewaysResponse, ListGatewaysResponse__Output as _coupler_fleet_v1_ListGatewaysResponse__Output } from '../../../coupler/fleet/v1/ListGatewaysResponse.js';
import type { SetDesiredStateRequest as _coupler_fleet_v1_SetDesiredStateRequest, SetDesiredStateRequest__Output as _coupler_fleet_v1_SetDesiredStateRequest__Output } from '../../../coupler/fleet/v1/SetDesiredStateRequest.js';
import type { SetGatewayLabelsRequest as _coupler_fleet_v1_SetGatewayLabelsRequest, SetGatewayLabelsRequest__Output as _coupler_fleet_v1_SetGatewayLabelsRequest__Output } from '../../../coupler/fleet/v1/SetGatewayLabelsRequest.js';
import type { SetGatewayLabelsResponse as _coupler_fleet_v1_SetGatewayLabelsResponse, SetGatewayLabelsResponse__Output as _coupler_fleet_v1_SetGatewayLabelsResponse__Output } from '../../../coupler/fleet/v1/SetGatewayLabelsResponse.js';

export interface FleetServiceClient extends grpc.Client {
  GetDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  GetDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  GetDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  GetDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  getDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  getDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  getDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  getDesiredStateLayer(argument: _coupler_fleet_v1_GetDesiredStateLayerRequest, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  
  GetGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  GetGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  GetGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  GetGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  getGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  getGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  getGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  getGatewayDesiredState(argument: _coupler_fleet_v1_GetGatewayDesiredStateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_GatewayDesiredState__Output>): grpc.ClientUnaryCall;
  
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  ListGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  listGateways(argument: _coupler_fleet_v1_ListGatewaysRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListGatewaysResponse__Output>): grpc.ClientUnaryCall;
  
  SetDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  SetDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  SetDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  SetDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  setDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  setDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  setDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  setDesiredState(argument: _coupler_fleet_v1_SetDesiredStateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_DesiredStateLayer__Output>): grpc.ClientUnaryCall;
  
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
  GetDesiredStateLayer: grpc.handleUnaryCall<_coupler_fleet_v1_GetDesiredStateLayerRequest__Output, _coupler_fleet_v1_DesiredStateLayer>;
  
  GetGatewayDesiredState: grpc.handleUnaryCall<_coupler_fleet_v1_GetGatewayDesiredStateRequest__Output, _coupler_fleet_v1_GatewayDesiredState>;
  
  ListGateways: grpc.handleUnaryCall<_coupler_fleet_v1_ListGatewaysRequest__Output, _coupler_fleet_v1_ListGatewaysResponse>;
  
  SetDesiredState: grpc.handleUnaryCall<_coupler_fleet_v1_SetDesiredStateRequest__Output, _coupler_fleet_v1_DesiredStateLayer>;
  
  SetGatewayLabels: grpc.handleUnaryCall<_coupler_fleet_v1_SetGatewayLabelsRequest__Output, _coupler_fleet_v1_SetGatewayLabelsResponse>;
  
}

export interface FleetServiceDefinition extends grpc.ServiceDefinition {
  GetDesiredStateLayer: MethodDefinition<_coupler_fleet_v1_GetDesiredStateLayerRequest, _coupler_fleet_v1_DesiredStateLayer, _coupler_fleet_v1_GetDesiredStateLayerRequest__Output, _coupler_fleet_v1_DesiredStateLayer__Output>
  GetGatewayDesiredState: MethodDefinition<_coupler_fleet_v1_GetGatewayDesiredStateRequest, _coupler_fleet_v1_GatewayDesiredState, _coupler_fleet_v1_GetGatewayDesiredStateRequest__Output, _coupler_fleet_v1_GatewayDesiredState__Output>
  ListGateways: MethodDefinition<_coupler_fleet_v1_ListGatewaysRequest, _coupler_fleet_v1_ListGatewaysResponse, _coupler_fleet_v1_ListGatewaysRequest__Output, _coupler_fleet_v1_ListGatewaysResponse__Output>
  SetDesiredState: MethodDefinition<_coupler_fleet_v1_SetDesiredStateRequest, _coupler_fleet_v1_DesiredStateLayer, _coupler_fleet_v1_SetDesiredStateRequest__Output, _coupler_fleet_v1_DesiredStateLayer__Output>
  SetGatewayLabels: MethodDefinition<_coupler_fleet_v1_SetGatewayLabelsRequest, _coupler_fleet_v1_SetGatewayLabelsResponse, _coupler_fleet_v1_SetGatewayLabelsRequest__Output, _coupler_fleet_v1_SetGatewayLabelsResponse__Output>
}
