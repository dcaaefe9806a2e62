import {
  credentials,
  makeGenericClientConstructor,
  type Client,
  type ClientDuplexStream,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { onTestFinished } from 'vitest';
import {
  loadCouplerProto,
  type SyncRequest,
  type SyncResponse__Output,
  type SyncServiceClient,
} from '@coupler/proto';

const RESPONSE_TIMEOUT_MS = 10_000;

/** A raw SyncService client, closed when the test finishes. */
export function syncClient(address: string): SyncServiceClient {
  const client = new (loadCouplerProto().sync.SyncService)(address, credentials.createInsecure());
  onTestFinished(() => {
    client.close();
  });
  return client;
}

export interface SyncStream {
  call: ClientDuplexStream<SyncRequest, SyncResponse__Output>;
  send(request: SyncRequest): void;
  /** The next response, or a failure if the stream ends first or none comes in time. */
  next(): Promise<SyncResponse__Output>;
  /** The call's final status (OK or the error the server ended it with). */
  status: Promise<StatusObject>;
  /** Half-closes the stream and waits for the status. */
  end(): Promise<StatusObject>;
}

/** Opens SyncService.Sync and queues what comes back, so no response is missed. */
export function openSync(client: SyncServiceClient): SyncStream {
  const call = client.Sync();
  const responses: SyncResponse__Output[] = [];
  const waiters: { resolve: (r: SyncResponse__Output) => void; reject: (e: Error) => void }[] = [];
  let ended: Error | undefined;
  const status = new Promise<StatusObject>((resolve) => {
    call.on('status', resolve);
  });
  call.on('data', (response: SyncResponse__Output) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(response);
    else responses.push(response);
  });
  // A non-OK status also arrives as 'error'; tests read it from `status`.
  call.on('error', (err: ServiceError) => {
    ended = err;
    for (const waiter of waiters.splice(0)) waiter.reject(err);
  });
  call.on('end', () => {
    ended ??= new Error('the stream ended');
    for (const waiter of waiters.splice(0)) waiter.reject(ended);
  });
  return {
    call,
    send: (request) => {
      call.write(request);
    },
    next: () => {
      const queued = responses.shift();
      if (queued) return Promise.resolve(queued);
      if (ended) return Promise.reject(ended);
      return new Promise<SyncResponse__Output>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no response within ${RESPONSE_TIMEOUT_MS} ms`));
        }, RESPONSE_TIMEOUT_MS);
        waiters.push({
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
      });
    },
    status,
    end: () => {
      call.end();
      return status;
    },
  };
}

interface HealthClient extends Client {
  Check(
    request: { service: string },
    callback: (err: ServiceError | null, response?: { status: string }) => void,
  ): void;
}

/** grpc.health.v1.Health/Check for one service name ('' is the whole server). */
export async function checkHealth(address: string, service: string): Promise<string> {
  const Health = makeGenericClientConstructor(healthService, 'Health');
  const client = new Health(address, credentials.createInsecure()) as unknown as HealthClient;
  try {
    return await new Promise<string>((resolve, reject) => {
      client.Check({ service }, (err, response) => {
        if (err) reject(err);
        else resolve(response?.status ?? 'UNKNOWN');
      });
    });
  } finally {
    client.close();
  }
}
