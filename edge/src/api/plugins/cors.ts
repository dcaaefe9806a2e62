import type { IncomingMessage, ServerResponse } from 'node:http';

/** The methods a preflight allows: those the API has (GET, the HEAD of each GET, POST). */
const ALLOWED_METHODS = 'GET,HEAD,POST';

/**
 * CORS for a list of origins, as @fastify/cors did: `vary: Origin` on every answer, the
 * origin reflected when it is listed (`*` when the list has it), and an OPTIONS preflight (on any path, before the key
 * check: browsers send none) answered 204 with the methods and the requested headers.
 * Returns true when it answered the request (a preflight).
 */
export function applyCors(origins: ReadonlySet<string>, request: IncomingMessage, response: ServerResponse): boolean {
  response.setHeader('vary', 'Origin');
  const origin = request.headers.origin;
  if (origins.has('*')) response.setHeader('access-control-allow-origin', '*');
  else if (origin !== undefined && origins.has(origin)) response.setHeader('access-control-allow-origin', origin);
  if (request.method !== 'OPTIONS') return false;
  if (origin === undefined || request.headers['access-control-request-method'] === undefined) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Invalid Preflight Request');
    return true;
  }
  response.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  response.setHeader('vary', 'Origin, Access-Control-Request-Headers');
  const requested = request.headers['access-control-request-headers'];
  if (requested !== undefined) response.setHeader('access-control-allow-headers', requested);
  response.writeHead(204, { 'content-length': '0' }).end();
  return true;
}
