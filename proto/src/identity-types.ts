// The coupler.identity.v1 message types, gathered so index.ts stays one line per group.
export type { CreateApiKeyRequest__Output } from './generated/coupler/identity/v1/CreateApiKeyRequest.js';
export type { CreateApiKeyResponse } from './generated/coupler/identity/v1/CreateApiKeyResponse.js';
export type { CreateBootstrapTokenRequest__Output } from './generated/coupler/identity/v1/CreateBootstrapTokenRequest.js';
export type { CreateBootstrapTokenResponse } from './generated/coupler/identity/v1/CreateBootstrapTokenResponse.js';
export type { EnrollRequest, EnrollRequest__Output } from './generated/coupler/identity/v1/EnrollRequest.js';
export type { EnrollResponse, EnrollResponse__Output } from './generated/coupler/identity/v1/EnrollResponse.js';
export type { ListAuditEventsRequest__Output } from './generated/coupler/identity/v1/ListAuditEventsRequest.js';
export type { ListAuditEventsResponse } from './generated/coupler/identity/v1/ListAuditEventsResponse.js';
export type { RevokeApiKeyRequest__Output } from './generated/coupler/identity/v1/RevokeApiKeyRequest.js';
export type { RevokeGatewayRequest__Output } from './generated/coupler/identity/v1/RevokeGatewayRequest.js';
export type { RevokeGatewayResponse } from './generated/coupler/identity/v1/RevokeGatewayResponse.js';
export type { Role, Role__Output } from './generated/coupler/identity/v1/Role.js';
