import { Metadata, type Client, type ServiceError } from '@grpc/grpc-js';

type Unary = (request: unknown, metadata: Metadata, options: { deadline: number }, callback: (err: ServiceError | null, response: unknown) => void) => void;

/** One unary call with an operator's API key and a 30 s deadline; resolves the response or rejects with the ServiceError. */
export function callWithKey<T>(client: Client, method: string, request: unknown, apiKey: string): Promise<T> {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  const invoke = ((client as unknown as Record<string, Unary>)[method] as Unary).bind(client);
  return new Promise((resolve, reject) => {
    invoke(request, metadata, { deadline: Date.now() + 30_000 }, (err, response) => {
      if (err) reject(err);
      else resolve(response as T);
    });
  });
}
