import { once } from 'node:events';
import { status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import { authorizationOf, failureStatus, rateLimitError, type UnaryContext } from './unary.js';

export type ServerStreamHandler<Req, Msg> = (call: ServerWritableStream<Req, Msg>) => void;

/**
 * A thin server-streaming transport, the twin of unary(): `body` checks the caller and the
 * request and resolves with the messages, which are written as the client takes them (a full
 * send buffer waits for 'drain'). A cancelled call or a passed deadline stops the reading.
 * Errors, before or between messages, end the call with the mapped status.
 */
export function serverStream<Req, Msg>(
  method: string,
  context: UnaryContext,
  body: (request: Req, authorization: string | undefined) => Promise<AsyncIterable<Msg>>,
): ServerStreamHandler<Req, Msg> {
  return (call) => {
    const cancelled = new Promise<'cancelled'>((resolve) => {
      call.once('cancelled', () => {
        resolve('cancelled');
      });
    });
    const send = async (): Promise<void> => {
      const limited = rateLimitError(context, call.getPeer());
      if (limited) throw limited;
      const messages = await body(call.request, authorizationOf(call.metadata));
      for await (const message of messages) {
        if (call.cancelled) break;
        if (!call.write(message)) {
          if ((await Promise.race([once(call, 'drain'), cancelled])) === 'cancelled') break;
        }
      }
    };
    send().then(
      () => {
        if (call.cancelled) {
          context.recordCall?.(method, GrpcStatus.CANCELLED);
          return;
        }
        context.recordCall?.(method, GrpcStatus.OK);
        call.end();
      },
      (err: unknown) => {
        call.emit('error', failureStatus(method, context, err));
      },
    );
  };
}
