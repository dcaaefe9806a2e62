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
  type DesiredState__Output,
  type SyncRequest,
  type SyncResponse__Output,
  type SyncServiceClient,
  type Welcome__Output,
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
  /**
   * The next response other than a desired state (acknowledgements), or a failure if the
   * stream ends first or none comes in time.
   */
  next(): Promise<SyncResponse__Output>;
  /** The next desired state the cloud pushed. */
  nextDesired(): Promise<DesiredState__Output>;
  /** The welcome the cloud sends after hello (its highest stored sequence of the gateway). */
  nextWelcome(): Promise<Welcome__Output>;
  /** The call's final status (OK or the error the server ended it with). */
  status: Promise<StatusObject>;
  /** Half-closes the stream and waits for the status. */
  end(): Promise<StatusObject>;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

/** One kind of response: queued until asked for, so none is missed. */
class ResponseQueue<T> {
  private readonly queued: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private ended: Error | undefined;

  push(value: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(value);
    else this.queued.push(value);
  }

  end(err: Error): void {
    this.ended ??= err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  next(): Promise<T> {
    const queued = this.queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no response within ${RESPONSE_TIMEOUT_MS} ms`));
      }, RESPONSE_TIMEOUT_MS);
      this.waiters.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
  }
}

/** Opens SyncService.Sync and queues what comes back, so no response is missed. */
export function openSync(client: SyncServiceClient): SyncStream {
  const call = client.Sync();
  const responses = new ResponseQueue<SyncResponse__Output>();
  const desired = new ResponseQueue<DesiredState__Output>();
  const welcome = new ResponseQueue<Welcome__Output>();
  const status = new Promise<StatusObject>((resolve) => {
    call.on('status', resolve);
  });
  call.on('data', (response: SyncResponse__Output) => {
    if (response.desired) desired.push(response.desired);
    else if (response.welcome) welcome.push(response.welcome);
    else responses.push(response);
  });
  // A non-OK status also arrives as 'error'; tests read it from `status`.
  call.on('error', (err: ServiceError) => {
    responses.end(err);
    desired.end(err);
    welcome.end(err);
  });
  call.on('end', () => {
    responses.end(new Error('the stream ended'));
    desired.end(new Error('the stream ended'));
    welcome.end(new Error('the stream ended'));
  });
  return {
    call,
    send: (request) => {
      call.write(request);
    },
    next: () => responses.next(),
    nextDesired: () => desired.next(),
    nextWelcome: () => welcome.next(),
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
