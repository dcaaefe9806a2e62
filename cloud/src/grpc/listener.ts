import type { Server} from '@grpc/grpc-js';
import { type ServerCredentials } from '@grpc/grpc-js';
import { CouplerError, errorMessage } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';

/** Binds a grpc-js server; on failure closes it and throws CPL_ERR_LISTEN naming the address. */
export async function bindServer(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  try {
    return await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, credentials, (err, port) => {
        if (err) reject(err);
        else resolve(port);
      });
    });
  } catch (err) {
    server.forceShutdown();
    throw new CouplerError(CloudErrorCode.listen, `cannot listen for gRPC on ${address}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/** tryShutdown within `limitMs`, else forceShutdown; true when it was graceful. */
export async function shutdownServer(server: Server, limitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = new Promise<true>((resolve) => {
    server.tryShutdown(() => {
      resolve(true);
    });
  });
  const limit = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, limitMs);
  });
  const isGraceful = await Promise.race([graceful, limit]);
  clearTimeout(timer);
  if (!isGraceful) server.forceShutdown();
  return isGraceful;
}
