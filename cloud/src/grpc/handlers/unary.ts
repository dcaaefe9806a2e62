import { status as GrpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import type { RateLimiter } from '../../lib/index.js';
import { toGrpcStatus } from '../error-status.js';
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

/**
 * A thin unary transport: passes the request and the `authorization` metadata to `body`, and
 * maps what it throws to a status in one place (error-status.ts), with no stack to the caller.
 */
export function unary<Req, Res>(
  method: string,
  context: UnaryContext,
  body: (request: Req, authorization: string | undefined) => Promise<Res>,
): UnaryHandler<Req, Res> {
  const { logger, limiter, recordCall, admit } = context;
  return (call, callback) => {
    const fail = (err: unknown): void => {
      const status = toGrpcStatus(err);
      if (status.isExpected)
        logger.debug({ method, code: status.code, details: status.details }, 'call refused');
      else logger.error({ method, err }, 'call failed');
      recordCall?.(method, status.code);
      callback({ code: status.code, details: status.details });
    };
    const address = peerAddress(call.getPeer());
    if (limiter && !limiter.take(address)) {
      fail(
        new CouplerError(
          CloudErrorCode.rateLimited,
          `too many calls from ${address}; retry in ${limiter.retryAfterSeconds(address)} s`,
        ),
      );
      return;
    }
    const [authorization] = call.metadata.get('authorization');
    const admitted = admit ? admit(call) : Promise.resolve();
    admitted.then(() => body(call.request, typeof authorization === 'string' ? authorization : undefined)).then(
      (response) => {
        recordCall?.(method, GrpcStatus.OK);
        callback(null, response);
      },
      fail,
    );
  };
}
