import { status as Status, type StatusObject } from '@grpc/grpc-js';
import { CouplerError } from '@coupler/kit';
import { CloudErrorCode, isCloudErrorCode } from '../errors.js';

// The one place where error codes become gRPC status codes (STYLE §5). Exhaustive: a new code
// does not compile until it is given a status here.
const STATUS_OF: Readonly<Record<CloudErrorCode, Status>> = {
  [CloudErrorCode.configInvalid]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.syncInvalidBatch]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.syncProtocol]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.storeOpen]: Status.UNAVAILABLE,
  [CloudErrorCode.storeWrite]: Status.UNAVAILABLE,
  [CloudErrorCode.storeRead]: Status.UNAVAILABLE,
  [CloudErrorCode.serviceStopping]: Status.UNAVAILABLE,
  [CloudErrorCode.notLeader]: Status.UNAVAILABLE,
  [CloudErrorCode.listen]: Status.INTERNAL,
  [CloudErrorCode.unauthenticated]: Status.UNAUTHENTICATED,
  [CloudErrorCode.permissionDenied]: Status.PERMISSION_DENIED,
  [CloudErrorCode.requestInvalid]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.notFound]: Status.NOT_FOUND,
  [CloudErrorCode.alreadyExists]: Status.ALREADY_EXISTS,
  [CloudErrorCode.enrolTokenInvalid]: Status.UNAUTHENTICATED,
  [CloudErrorCode.enrolCsrInvalid]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.credentialRevoked]: Status.UNAUTHENTICATED,
  [CloudErrorCode.gatewayMismatch]: Status.PERMISSION_DENIED,
  [CloudErrorCode.identityFiles]: Status.INTERNAL,
  [CloudErrorCode.rateLimited]: Status.RESOURCE_EXHAUSTED,
  // HTTP answers of the dashboard; their gRPC twins, should a handler ever throw one.
  [CloudErrorCode.dashboardLoginRequired]: Status.UNAUTHENTICATED,
  [CloudErrorCode.dashboardLoginInvalid]: Status.INVALID_ARGUMENT,
  [CloudErrorCode.dashboardForbidden]: Status.PERMISSION_DENIED,
  [CloudErrorCode.dashboardQueryInvalid]: Status.INVALID_ARGUMENT,
};

export type CallStatus = Pick<StatusObject, 'code' | 'details'>;

/**
 * A gRPC status for any thrown value. Our own errors keep their message (it names what is
 * wrong); anything else becomes INTERNAL "internal error": no stack or internals to callers.
 */
export function toGrpcStatus(err: unknown): CallStatus & { isExpected: boolean } {
  if (err instanceof CouplerError) {
    const { code, message } = err as CouplerError;
    if (isCloudErrorCode(code))
      return { code: STATUS_OF[code], details: message, isExpected: true };
  }
  return { code: Status.INTERNAL, details: 'internal error', isExpected: false };
}
