import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AuditEvent as _coupler_identity_v1_AuditEvent, AuditEvent__Output as _coupler_identity_v1_AuditEvent__Output } from './coupler/identity/v1/AuditEvent.js';
import type { CreateApiKeyRequest as _coupler_identity_v1_CreateApiKeyRequest, CreateApiKeyRequest__Output as _coupler_identity_v1_CreateApiKeyRequest__Output } from './coupler/identity/v1/CreateApiKeyRequest.js';
import type { CreateApiKeyResponse as _coupler_identity_v1_CreateApiKeyResponse, CreateApiKeyResponse__Output as _coupler_identity_v1_CreateApiKeyResponse__Output } from './coupler/identity/v1/CreateApiKeyResponse.js';
import type { CreateBootstrapTokenRequest as _coupler_identity_v1_CreateBootstrapTokenRequest, CreateBootstrapTokenRequest__Output as _coupler_identity_v1_CreateBootstrapTokenRequest__Output } from './coupler/identity/v1/CreateBootstrapTokenRequest.js';
import type { CreateBootstrapTokenResponse as _coupler_identity_v1_CreateBootstrapTokenResponse, CreateBootstrapTokenResponse__Output as _coupler_identity_v1_CreateBootstrapTokenResponse__Output } from './coupler/identity/v1/CreateBootstrapTokenResponse.js';
import type { EnrollRequest as _coupler_identity_v1_EnrollRequest, EnrollRequest__Output as _coupler_identity_v1_EnrollRequest__Output } from './coupler/identity/v1/EnrollRequest.js';
import type { EnrollResponse as _coupler_identity_v1_EnrollResponse, EnrollResponse__Output as _coupler_identity_v1_EnrollResponse__Output } from './coupler/identity/v1/EnrollResponse.js';
import type { EnrolmentServiceClient as _coupler_identity_v1_EnrolmentServiceClient, EnrolmentServiceDefinition as _coupler_identity_v1_EnrolmentServiceDefinition } from './coupler/identity/v1/EnrolmentService.js';
import type { IdentityAdminServiceClient as _coupler_identity_v1_IdentityAdminServiceClient, IdentityAdminServiceDefinition as _coupler_identity_v1_IdentityAdminServiceDefinition } from './coupler/identity/v1/IdentityAdminService.js';
import type { ListAuditEventsRequest as _coupler_identity_v1_ListAuditEventsRequest, ListAuditEventsRequest__Output as _coupler_identity_v1_ListAuditEventsRequest__Output } from './coupler/identity/v1/ListAuditEventsRequest.js';
import type { ListAuditEventsResponse as _coupler_identity_v1_ListAuditEventsResponse, ListAuditEventsResponse__Output as _coupler_identity_v1_ListAuditEventsResponse__Output } from './coupler/identity/v1/ListAuditEventsResponse.js';
import type { RevokeApiKeyRequest as _coupler_identity_v1_RevokeApiKeyRequest, RevokeApiKeyRequest__Output as _coupler_identity_v1_RevokeApiKeyRequest__Output } from './coupler/identity/v1/RevokeApiKeyRequest.js';
import type { RevokeApiKeyResponse as _coupler_identity_v1_RevokeApiKeyResponse, RevokeApiKeyResponse__Output as _coupler_identity_v1_RevokeApiKeyResponse__Output } from './coupler/identity/v1/RevokeApiKeyResponse.js';
import type { RevokeGatewayRequest as _coupler_identity_v1_RevokeGatewayRequest, RevokeGatewayRequest__Output as _coupler_identity_v1_RevokeGatewayRequest__Output } from './coupler/identity/v1/RevokeGatewayRequest.js';
import type { RevokeGatewayResponse as _coupler_identity_v1_RevokeGatewayResponse, RevokeGatewayResponse__Output as _coupler_identity_v1_RevokeGatewayResponse__Output } from './coupler/identity/v1/RevokeGatewayResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coupler: {
    identity: {
      v1: {
        AuditEvent: MessageTypeDefinition<_coupler_identity_v1_AuditEvent, _coupler_identity_v1_AuditEvent__Output>
        CreateApiKeyRequest: MessageTypeDefinition<_coupler_identity_v1_CreateApiKeyRequest, _coupler_identity_v1_CreateApiKeyRequest__Output>
        CreateApiKeyResponse: MessageTypeDefinition<_coupler_identity_v1_CreateApiKeyResponse, _coupler_identity_v1_CreateApiKeyResponse__Output>
        CreateBootstrapTokenRequest: MessageTypeDefinition<_coupler_identity_v1_CreateBootstrapTokenRequest, _coupler_identity_v1_CreateBootstrapTokenRequest__Output>
        CreateBootstrapTokenResponse: MessageTypeDefinition<_coupler_identity_v1_CreateBootstrapTokenResponse, _coupler_identity_v1_CreateBootstrapTokenResponse__Output>
        EnrollRequest: MessageTypeDefinition<_coupler_identity_v1_EnrollRequest, _coupler_identity_v1_EnrollRequest__Output>
        EnrollResponse: MessageTypeDefinition<_coupler_identity_v1_EnrollResponse, _coupler_identity_v1_EnrollResponse__Output>
        EnrolmentService: SubtypeConstructor<typeof grpc.Client, _coupler_identity_v1_EnrolmentServiceClient> & { service: _coupler_identity_v1_EnrolmentServiceDefinition }
        IdentityAdminService: SubtypeConstructor<typeof grpc.Client, _coupler_identity_v1_IdentityAdminServiceClient> & { service: _coupler_identity_v1_IdentityAdminServiceDefinition }
        ListAuditEventsRequest: MessageTypeDefinition<_coupler_identity_v1_ListAuditEventsRequest, _coupler_identity_v1_ListAuditEventsRequest__Output>
        ListAuditEventsResponse: MessageTypeDefinition<_coupler_identity_v1_ListAuditEventsResponse, _coupler_identity_v1_ListAuditEventsResponse__Output>
        RevokeApiKeyRequest: MessageTypeDefinition<_coupler_identity_v1_RevokeApiKeyRequest, _coupler_identity_v1_RevokeApiKeyRequest__Output>
        RevokeApiKeyResponse: MessageTypeDefinition<_coupler_identity_v1_RevokeApiKeyResponse, _coupler_identity_v1_RevokeApiKeyResponse__Output>
        RevokeGatewayRequest: MessageTypeDefinition<_coupler_identity_v1_RevokeGatewayRequest, _coupler_identity_v1_RevokeGatewayRequest__Output>
        RevokeGatewayResponse: MessageTypeDefinition<_coupler_identity_v1_RevokeGatewayResponse, _coupler_identity_v1_RevokeGatewayResponse__Output>
        Role: EnumTypeDefinition
      }
    }
  }
}

