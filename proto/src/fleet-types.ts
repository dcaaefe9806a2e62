// The coupler.fleet.v1 message types of SetGatewayLabels, gathered so index.ts stays short.
export type { SetGatewayLabelsRequest__Output } from './generated/coupler/fleet/v1/SetGatewayLabelsRequest.js';
export type { SetGatewayLabelsResponse } from './generated/coupler/fleet/v1/SetGatewayLabelsResponse.js';
// Desired state layers and a gateway's composed desired state.
export type { DesiredStateLayer, DesiredStateLayer__Output } from './generated/coupler/fleet/v1/DesiredStateLayer.js';
export type { GatewayDesiredState } from './generated/coupler/fleet/v1/GatewayDesiredState.js';
export type { GetDesiredStateLayerRequest__Output } from './generated/coupler/fleet/v1/GetDesiredStateLayerRequest.js';
export type { GetGatewayDesiredStateRequest__Output } from './generated/coupler/fleet/v1/GetGatewayDesiredStateRequest.js';
export type { SetDesiredStateRequest__Output } from './generated/coupler/fleet/v1/SetDesiredStateRequest.js';
// Templates (coupler.fleet.v1.TemplateService).
export type { Template, Template__Output } from './generated/coupler/fleet/v1/Template.js';
export type { CreateTemplateRequest__Output } from './generated/coupler/fleet/v1/CreateTemplateRequest.js';
export type { GetTemplateRequest__Output } from './generated/coupler/fleet/v1/GetTemplateRequest.js';
export type { ListTemplatesRequest__Output } from './generated/coupler/fleet/v1/ListTemplatesRequest.js';
export type { ListTemplatesResponse, ListTemplatesResponse__Output } from './generated/coupler/fleet/v1/ListTemplatesResponse.js';
export type { ApplyTemplateRequest__Output } from './generated/coupler/fleet/v1/ApplyTemplateRequest.js';
export type { ApplyTemplateResponse, ApplyTemplateResponse__Output } from './generated/coupler/fleet/v1/ApplyTemplateResponse.js';
export type { TemplateModbusDevice__Output } from './generated/coupler/fleet/v1/TemplateModbusDevice.js';
export type { TemplateServiceClient } from './generated/coupler/fleet/v1/TemplateService.js';
