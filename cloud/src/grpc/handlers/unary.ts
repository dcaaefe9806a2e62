import { status as GrpcStatus, type Metadata, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import type { RateLimiter } from '../../lib/index.js';
import { toGrpcStatus, type CallStatus } from '../error-status.js';
import type { RecordCall } from '../metrics.js';

export type UnaryHandler<Req, Res> = (
  call: ServerUnaryCall<Req, Res>,
  callback: sendUnaryData<Res>,
) => void;

export interface UnaryContext {
  logger: Logger;
  /** Calls per peer address (OWASP API4): checked before anything costly, such as scrypt. */
  limiter?: RateLimiter;
  recordCall?: RecordCall | undefined;
  /** Checks the caller before the body runs (the sync port: the gateway's client certificate). */
  admit?: ((call: ServerUnaryCall<unknown, unknown>) => Promise<void>) | undefined;
}

/** The address of a peer without its port: "ipv4:10.0.0.7:51234" and "[::1]:51234" alike. */
export function peerAddress(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '');
}

/** Maps what a call threw to its status, logs and counts it: one place for unary and streams. */
export function failureStatus(method: string, context: UnaryContext, err: unknown): CallStatus {
  const status = toGrpcStatus(err);
  if (status.isExpected)
    context.logger.debug({ method, code: status.code, details: status.details }, 'call refused');
  else context.logger.error({ method, err }, 'call failed');
  context.recordCall?.(method, status.code);
  return { code: status.code, details: status.details };
}

/** The refusal when the peer has used up its calls (OWASP API4), before anything costly. */
export function rateLimitError(context: UnaryContext, peer: string): CouplerError | undefined {
  const { limiter } = context;
  const address = peerAddress(peer);
  if (!limiter || limiter.take(address)) return undefined;
  return new CouplerError(
    CloudErrorCode.rateLimited,
    `too many calls from ${address}; retry in ${limiter.retryAfterSeconds(address)} s`,
  );
}

/** The `authorization` metadata of a call, when it is a string. */
export function authorizationOf(metadata: Metadata): string | undefined {
  const [authorization] = metadata.get('authorization');
  return typeof authorization === 'string' ? authorization : undefined;
}

/**
 * A thin unary transport: passes the request and the `authorization` metadata to `body`, and
 * maps what it throws to a status in one place (error-status.ts), with no stack to the caller.
 */
export function unary<Req, Res>(
  method: string,
  context: UnaryContext,
  body: (request: Req, authorization: string | undefined) => Promise<Res>,
): UnaryHandler<Req, Res> {
  return (call, callback) => {
    const fail = (err: unknown): void => {
      callback(failureStatus(method, context, err));
    };
    const limited = rateLimitError(context, call.getPeer());
    if (limited) {
      fail(limited);
      return;
    }
    const admitted = context.admit ? context.admit(call) : Promise.resolve();
    admitted.then(() => body(call.request, authorizationOf(call.metadata))).then(
      (response) => {
        context.recordCall?.(method, GrpcStatus.OK);
        callback(null, response);
      },
      fail,
    );
  };
}
