import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import { toGrpcStatus } from '../error-status.js';

export type UnaryHandler<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

/**
 * A thin unary transport: passes the request and the `authorization` metadata to `body`, and
 * maps what it throws to a status in one place (error-status.ts), with no stack to the caller.
 */
export function unary<Req, Res>(
  method: string,
  logger: Logger,
  body: (request: Req, authorization: string | undefined) => Promise<Res>,
): UnaryHandler<Req, Res> {
  return (call, callback) => {
    const [authorization] = call.metadata.get('authorization');
    body(call.request, typeof authorization === 'string' ? authorization : undefined).then(
      (response) => {
        callback(null, response);
      },
      (err: unknown) => {
        const status = toGrpcStatus(err);
        if (status.isExpected) logger.debug({ method, code: status.code, details: status.details }, 'call refused');
        else logger.error({ method, err }, 'call failed');
        callback({ code: status.code, details: status.details });
      },
    );
  };
}
