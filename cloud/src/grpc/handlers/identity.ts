import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type {
  CreateApiKeyRequest__Output,
  CreateBootstrapTokenRequest__Output,
  EnrollRequest__Output,
  ListAuditEventsRequest__Output,
  RevokeApiKeyRequest__Output,
  RevokeGatewayRequest__Output,
} from '@coupler/proto';
import type { IdentityApi } from '../ports.js';
import { unary, type UnaryContext } from './unary.js';

/** coupler.identity.v1.EnrolmentService: no authorization metadata, the token is the credential. */
export function enrolmentHandlers(
  identity: IdentityApi,
  context: UnaryContext,
): UntypedServiceImplementation {
  return {
    Enroll: unary('Enroll', context, async (request: EnrollRequest__Output) => {
      const result = await identity.enroll({
        bootstrapToken: request.bootstrapToken,
        csrPem: request.csrPem,
      });
      return {
        gatewayId: result.gatewayId,
        certificatePem: result.certificatePem,
        caCertificatePem: result.caCertificatePem,
        serial: result.serialHex,
        notAfterMs: result.notAfterMs,
      };
    }),
  };
}

/** coupler.identity.v1.IdentityAdminService: every RPC checks the caller's API key and role. */
export function identityAdminHandlers(
  identity: IdentityApi,
  context: UnaryContext,
): UntypedServiceImplementation {
  return {
    CreateBootstrapToken: unary(
      'CreateBootstrapToken',
      context,
      (request: CreateBootstrapTokenRequest__Output, auth) =>
        identity.createBootstrapToken(auth, {
          gatewayId: request.gatewayId,
          ttlSeconds: request.ttlSeconds,
        }),
    ),
    RevokeGateway: unary('RevokeGateway', context, (request: RevokeGatewayRequest__Output, auth) =>
      identity.revokeGateway(auth, { gatewayId: request.gatewayId, reason: request.reason }),
    ),
    CreateApiKey: unary('CreateApiKey', context, (request: CreateApiKeyRequest__Output, auth) =>
      identity.createApiKey(auth, { name: request.name, role: request.role }),
    ),
    RevokeApiKey: unary('RevokeApiKey', context, (request: RevokeApiKeyRequest__Output, auth) =>
      identity.revokeApiKey(auth, { keyId: request.keyId }),
    ),
    ListAuditEvents: unary(
      'ListAuditEvents',
      context,
      async (request: ListAuditEventsRequest__Output, auth) => ({
        events: await identity.listAuditEvents(auth, {
          afterId: request.afterId,
          limit: request.limit,
        }),
      }),
    ),
  };
}
