// The coupler.fleet.v1 message types of SetGatewayLabels, gathered so index.ts stays short.
export type { SetGatewayLabelsRequest__Output } from './generated/coupler/fleet/v1/SetGatewayLabelsRequest.js';
export type { SetGatewayLabelsResponse } from './generated/coupler/fleet/v1/SetGatewayLabelsResponse.js';
