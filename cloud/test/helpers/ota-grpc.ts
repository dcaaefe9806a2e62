import { credentials, Metadata, Server, ServerCredentials, type Client, type ServiceDefinition, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { onTestFinished } from 'vitest';

const DEADLINE_MS = 10_000;

/** A grpc-js server on 127.0.0.1:0 with the given services, shut down when the test finishes. */
export async function startServer(services: [ServiceDefinition, UntypedServiceImplementation][]): Promise<{ address: string; close: () => void }> {
  const server = new Server();
  for (const [definition, implementation] of services) server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(err);
      else resolve(bound);
    });
  });
  const close = () => { server.forceShutdown(); };
  onTestFinished(close);
  return { address: `127.0.0.1:${port}`, close };
}

/** A client of `Service` on `address`, closed when the test finishes. */
export function clientOf<C extends Client>(Service: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => C, address: string): C {
  const client = new Service(address, credentials.createInsecure());
  onTestFinished(() => { client.close(); });
  return client;
}

type Unary = (request: unknown, metadata: Metadata, options: { deadline: number }, callback: (err: ServiceError | null, response: unknown) => void) => void;

/** One unary call with a deadline and `authorization`; resolves the response or rejects with the ServiceError. */
export function unaryCall<Res>(client: Client, method: string, request: unknown, authorization: string): Promise<Res> {
  const metadata = new Metadata();
  metadata.set('authorization', authorization);
  const invoke = ((client as unknown as Record<string, Unary>)[method] as Unary).bind(client);
  return new Promise((resolve, reject) => {
    invoke(request, metadata, { deadline: Date.now() + DEADLINE_MS }, (err, response) => {
      if (err) reject(err);
      else resolve(response as Res);
    });
  });
}
