// The coupler.fleet.v1 message types of SetGatewayLabels, gathered so index.ts stays short.
export type { SetGatewayLabelsRequest__Output } from './generated/coupler/fleet/v1/SetGatewayLabelsRequest.js';
export type { SetGatewayLabelsResponse } from './generated/coupler/fleet/v1/SetGatewayLabelsResponse.js';
// Desired state layers and a gateway's composed desired state.
export type { DesiredStateLayer, DesiredStateLayer__Output } from './generated/coupler/fleet/v1/DesiredStateLayer.js';
export type { GatewayDesiredState } from './generated/coupler/fleet/v1/GatewayDesiredState.js';
export type { GetDesiredStateLayerRequest__Output } from './generated/coupler/fleet/v1/GetDesiredStateLayerRequest.js';
export type { GetGatewayDesiredStateRequest__Output } from './generated/coupler/fleet/v1/GetGatewayDesiredStateRequest.js';
export type { SetDesiredStateRequest__Output } from './generated/coupler/fleet/v1/SetDesiredStateRequest.js';
