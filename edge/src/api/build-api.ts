import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { ApiError, type Answer, type Route } from './app.js';
import { openApiDocument } from './openapi.js';
import { ApiKeyVerifier, checkApiKey } from './plugins/auth.js';
import { applyCors } from './plugins/cors.js';
import { readJsonBody } from './plugins/json-body.js';
import { RateLimiter } from './plugins/rate-limit.js';
import type { ApiKeySource, ApiSources } from './ports.js';
import { healthRoutes } from './routes/health.js';
import { stateRoutes } from './routes/state.js';

export interface ApiOptions {
  /** Origins CORS allows; empty: CORS stays off (no CORS headers at all). */
  corsOrigins?: readonly string[];
  rateLimitPerMinute?: number;
  bodyLimitBytes?: number;
  softwareVersion?: string;
  /** PEM certificate (and chain) and key: serve HTTPS instead of HTTP. */
  https?: { cert: Buffer; key: Buffer } | undefined;
}

export interface ApiDeps {
  logger: Logger;
  keys: ApiKeySource;
}

/** The local API's server, not yet listening. */
export interface LocalApi {
  readonly server: Server;
  listen(address: { host: string; port: number }): Promise<void>;
  /** Stops listening, closes idle keep-alive connections and waits for the open requests. */
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
const JSON_TYPE = 'application/json; charset=utf-8';

function send(response: ServerResponse, isHead: boolean, status: number, contentType: string, text: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(isHead ? undefined : text);
}

function sendAnswer(response: ServerResponse, isHead: boolean, answer: Answer): void {
  const status = answer.status ?? 200;
  if ('json' in answer) send(response, isHead, status, JSON_TYPE, JSON.stringify(answer.json));
  else send(response, isHead, status, answer.contentType, answer.text);
}

/**
 * Builds the local HTTP API (node:http, routes by hand) without listening. Every request goes:
 * CORS (and preflights), the rate limit (not on public routes), the key check (unknown paths
 * too: 401 before 404), the JSON body, the route. Errors answer `{ code, message }`, never a stack.
 */
export function buildApi(sources: ApiSources, deps: ApiDeps, options: ApiOptions = {}): LocalApi {
  const { logger } = deps;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, 60_000);
  const verifier = new ApiKeyVerifier(deps.keys);
  const routes: Route[] = [...healthRoutes(sources), ...stateRoutes(sources)];
  const openApi: Route = { method: 'GET', path: '/openapi.json', access: 'read', summary: '', responses: {}, handle: () => ({ json: openApiDocument(routes, options.softwareVersion ?? '0.0.0') }) };
  const byKey = new Map([...routes, openApi].map((route) => [`${route.method} ${route.path}`, route]));

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const isHead = request.method === 'HEAD';
    const method = isHead ? 'GET' : (request.method ?? 'GET');
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    try {
      if (corsOrigins.size > 0 && applyCors(corsOrigins, request, response)) return;
      const route = byKey.get(`${method} ${path}`);
      const access = route?.access ?? 'read';
      if (access !== 'public') {
        const verdict = limiter.take(request.socket.remoteAddress ?? '');
        for (const [name, value] of Object.entries(verdict.headers)) response.setHeader(name, value);
        if (verdict.refusal) throw verdict.refusal;
      }
      await checkApiKey(verifier, request.headers, access);
      if (!route) throw new ApiError(404, EdgeErrorCode.apiRequestInvalid, `route ${method} ${path} not found`);
      const body = route.method === 'POST' ? await readJsonBody(request, bodyLimitBytes) : undefined;
      sendAnswer(response, isHead, await route.handle({ body }));
    } catch (err) {
      const isRefusal = err instanceof ApiError && err.statusCode < 500;
      if (!isRefusal) logger.error({ err }, 'api request failed');
      // A 5xx says only that it failed; the log has the error.
      const [status, code, message] = isRefusal ? [err.statusCode, err.code, err.message] : [500, EdgeErrorCode.apiInternal, 'internal error'];
      if (response.headersSent) response.destroy();
      else send(response, isHead, status, JSON_TYPE, JSON.stringify({ code, message }));
    }
  };
  const handler = (request: IncomingMessage, response: ServerResponse): void => void serve(request, response);
  const tls = options.https;
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler) : createServer(handler);

  return {
    server,
    listen: ({ host, port }) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
