// Original file: proto/coupler/identity/v1/identity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateApiKeyRequest as _coupler_identity_v1_CreateApiKeyRequest, CreateApiKeyRequest__Output as _coupler_identity_v1_CreateApiKeyRequest__Output } from '../../../coupler/identity/v1/CreateApiKeyRequest.js';
import type { CreateApiKeyResponse as _coupler_identity_v1_CreateApiKeyResponse, CreateApiKeyResponse__Output as _coupler_identity_v1_CreateApiKeyResponse__Output } from '../../../coupler/identity/v1/CreateApiKeyResponse.js';
import type { CreateBootstrapTokenRequest as _coupler_identity_v1_CreateBootstrapTokenRequest, CreateBootstrapTokenRequest__Output as _coupler_identity_v1_CreateBootstrapTokenRequest__Output } from '../../../coupler/identity/v1/CreateBootstrapTokenRequest.js';
import type { CreateBootstrapTokenResponse as _coupler_identity_v1_CreateBootstrapTokenResponse, CreateBootstrapTokenResponse__Output as _coupler_identity_v1_CreateBootstrapTokenResponse__Output } from '../../../coupler/identity/v1/CreateBootstrapTokenResponse.js';
import type { ListAuditEventsRequest as _coupler_identity_v1_ListAuditEventsRequest, ListAuditEventsRequest__Output as _coupler_identity_v1_ListAuditEventsRequest__Output } from '../../../coupler/identity/v1/ListAuditEventsRequest.js';
import type { ListAuditEventsResponse as _coupler_identity_v1_ListAuditEventsResponse, ListAuditEventsResponse__Output as _coupler_identity_v1_ListAuditEventsResponse__Output } from '../../../coupler/identity/v1/ListAuditEventsResponse.js';
import type { RevokeApiKeyRequest as _coupler_identity_v1_RevokeApiKeyRequest, RevokeApiKeyRequest__Output as _coupler_identity_v1_RevokeApiKeyRequest__Output } from '../../../coupler/identity/v1/RevokeApiKeyRequest.js';
import type { RevokeApiKeyResponse as _coupler_identity_v1_RevokeApiKeyResponse, RevokeApiKeyResponse__Output as _coupler_identity_v1_RevokeApiKeyResponse__Output } from '../../../coupler/identity/v1/RevokeApiKeyResponse.js';
import type { RevokeGatewayRequest as _coupler_identity_v1_RevokeGatewayRequest, RevokeGatewayRequest__Output as _coupler_identity_v1_RevokeGatewayRequest__Output } from '../../../coupler/identity/v1/RevokeGatewayRequest.js';
import type { RevokeGatewayResponse as _coupler_identity_v1_RevokeGatewayResponse, RevokeGatewayResponse__Output as _coupler_identity_v1_RevokeGatewayResponse__Output } from '../../../coupler/identity/v1/RevokeGatewayResponse.js';

export interface IdentityAdminServiceClient extends grpc.Client {
  CreateApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _coupler_identity_v1_CreateApiKeyRequest, callback: grpc.requestCallback<_coupler_identity_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  
  CreateBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  createBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  createBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  createBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  createBootstrapToken(argument: _coupler_identity_v1_CreateBootstrapTokenRequest, callback: grpc.requestCallback<_coupler_identity_v1_CreateBootstrapTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ListAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  ListAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  listAuditEvents(argument: _coupler_identity_v1_ListAuditEventsRequest, callback: grpc.requestCallback<_coupler_identity_v1_ListAuditEventsResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _coupler_identity_v1_RevokeApiKeyRequest, callback: grpc.requestCallback<_coupler_identity_v1_RevokeApiKeyResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  RevokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  RevokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  RevokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  revokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  revokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  revokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  revokeGateway(argument: _coupler_identity_v1_RevokeGatewayRequest, callback: grpc.requestCallback<_coupler_identity_v1_RevokeGatewayResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface IdentityAdminServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateApiKey: grpc.handleUnaryCall<_coupler_identity_v1_CreateApiKeyRequest__Output, _coupler_identity_v1_CreateApiKeyResponse>;
  
  CreateBootstrapToken: grpc.handleUnaryCall<_coupler_identity_v1_CreateBootstrapTokenRequest__Output, _coupler_identity_v1_CreateBootstrapTokenResponse>;
  
  ListAuditEvents: grpc.handleUnaryCall<_coupler_identity_v1_ListAuditEventsRequest__Output, _coupler_identity_v1_ListAuditEventsResponse>;
  
  RevokeApiKey: grpc.handleUnaryCall<_coupler_identity_v1_RevokeApiKeyRequest__Output, _coupler_identity_v1_RevokeApiKeyResponse>;
  
  RevokeGateway: grpc.handleUnaryCall<_coupler_identity_v1_RevokeGatewayRequest__Output, _coupler_identity_v1_RevokeGatewayResponse>;
  
}

export interface IdentityAdminServiceDefinition extends grpc.ServiceDefinition {
  CreateApiKey: MethodDefinition<_coupler_identity_v1_CreateApiKeyRequest, _coupler_identity_v1_CreateApiKeyResponse, _coupler_identity_v1_CreateApiKeyRequest__Output, _coupler_identity_v1_CreateApiKeyResponse__Output>
  CreateBootstrapToken: MethodDefinition<_coupler_identity_v1_CreateBootstrapTokenRequest, _coupler_identity_v1_CreateBootstrapTokenResponse, _coupler_identity_v1_CreateBootstrapTokenRequest__Output, _coupler_identity_v1_CreateBootstrapTokenResponse__Output>
  ListAuditEvents: MethodDefinition<_coupler_identity_v1_ListAuditEventsRequest, _coupler_identity_v1_ListAuditEventsResponse, _coupler_identity_v1_ListAuditEventsRequest__Output, _coupler_identity_v1_ListAuditEventsResponse__Output>
  RevokeApiKey: MethodDefinition<_coupler_identity_v1_RevokeApiKeyRequest, _coupler_identity_v1_RevokeApiKeyResponse, _coupler_identity_v1_RevokeApiKeyRequest__Output, _coupler_identity_v1_RevokeApiKeyResponse__Output>
  RevokeGateway: MethodDefinition<_coupler_identity_v1_RevokeGatewayRequest, _coupler_identity_v1_RevokeGatewayResponse, _coupler_identity_v1_RevokeGatewayRequest__Output, _coupler_identity_v1_RevokeGatewayResponse__Output>
}
