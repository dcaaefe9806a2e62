// Original file: proto/coupler/fleet/v1/fleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyTemplateRequest as _coupler_fleet_v1_ApplyTemplateRequest, ApplyTemplateRequest__Output as _coupler_fleet_v1_ApplyTemplateRequest__Output } from '../../../coupler/fleet/v1/ApplyTemplateRequest.js';
import type { ApplyTemplateResponse as _coupler_fleet_v1_ApplyTemplateResponse, ApplyTemplateResponse__Output as _coupler_fleet_v1_ApplyTemplateResponse__Output } from '../../../coupler/fleet/v1/ApplyTemplateResponse.js';
import type { CreateTemplateRequest as _coupler_fleet_v1_CreateTemplateRequest, CreateTemplateRequest__Output as _coupler_fleet_v1_CreateTemplateRequest__Output } from '../../../coupler/fleet/v1/CreateTemplateRequest.js';
import type { GetTemplateRequest as _coupler_fleet_v1_GetTemplateRequest, GetTemplateRequest__Output as _coupler_fleet_v1_GetTemplateRequest__Output } from '../../../coupler/fleet/v1/GetTemplateRequest.js';
import type { ListTemplatesRequest as _coupler_fleet_v1_ListTemplatesRequest, ListTemplatesRequest__Output as _coupler_fleet_v1_ListTemplatesRequest__Output } from '../../../coupler/fleet/v1/ListTemplatesRequest.js';
import type { ListTemplatesResponse as _coupler_fleet_v1_ListTemplatesResponse, ListTemplatesResponse__Output as _coupler_fleet_v1_ListTemplatesResponse__Output } from '../../../coupler/fleet/v1/ListTemplatesResponse.js';
import type { Template as _coupler_fleet_v1_Template, Template__Output as _coupler_fleet_v1_Template__Output } from '../../../coupler/fleet/v1/Template.js';

export interface TemplateServiceClient extends grpc.Client {
  ApplyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  ApplyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  ApplyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  ApplyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  applyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  applyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  applyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  applyTemplate(argument: _coupler_fleet_v1_ApplyTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ApplyTemplateResponse__Output>): grpc.ClientUnaryCall;
  
  CreateTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  CreateTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  CreateTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  CreateTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  createTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  createTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  createTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  createTemplate(argument: _coupler_fleet_v1_CreateTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  
  GetTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _coupler_fleet_v1_GetTemplateRequest, callback: grpc.requestCallback<_coupler_fleet_v1_Template__Output>): grpc.ClientUnaryCall;
  
  ListTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  ListTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  ListTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  ListTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  listTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  listTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  listTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  listTemplates(argument: _coupler_fleet_v1_ListTemplatesRequest, callback: grpc.requestCallback<_coupler_fleet_v1_ListTemplatesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TemplateServiceHandlers extends grpc.UntypedServiceImplementation {
  ApplyTemplate: grpc.handleUnaryCall<_coupler_fleet_v1_ApplyTemplateRequest__Output, _coupler_fleet_v1_ApplyTemplateResponse>;
  
  CreateTemplate: grpc.handleUnaryCall<_coupler_fleet_v1_CreateTemplateRequest__Output, _coupler_fleet_v1_Template>;
  
  GetTemplate: grpc.handleUnaryCall<_coupler_fleet_v1_GetTemplateRequest__Output, _coupler_fleet_v1_Template>;
  
  ListTemplates: grpc.handleUnaryCall<_coupler_fleet_v1_ListTemplatesRequest__Output, _coupler_fleet_v1_ListTemplatesResponse>;
  
}

export interface TemplateServiceDefinition extends grpc.ServiceDefinition {
  ApplyTemplate: MethodDefinition<_coupler_fleet_v1_ApplyTemplateRequest, _coupler_fleet_v1_ApplyTemplateResponse, _coupler_fleet_v1_ApplyTemplateRequest__Output, _coupler_fleet_v1_ApplyTemplateResponse__Output>
  CreateTemplate: MethodDefinition<_coupler_fleet_v1_CreateTemplateRequest, _coupler_fleet_v1_Template, _coupler_fleet_v1_CreateTemplateRequest__Output, _coupler_fleet_v1_Template__Output>
  GetTemplate: MethodDefinition<_coupler_fleet_v1_GetTemplateRequest, _coupler_fleet_v1_Template, _coupler_fleet_v1_GetTemplateRequest__Output, _coupler_fleet_v1_Template__Output>
  ListTemplates: MethodDefinition<_coupler_fleet_v1_ListTemplatesRequest, _coupler_fleet_v1_ListTemplatesResponse, _coupler_fleet_v1_ListTemplatesRequest__Output, _coupler_fleet_v1_ListTemplatesResponse__Output>
}
