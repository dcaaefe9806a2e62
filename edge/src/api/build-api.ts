import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { createServer as createHttpsServer } from 'node:https';
import { fastify, LogController, type FastifyServerFactory } from 'fastify';
import type { Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { addApiKeyAuth, ApiKeyVerifier } from './plugins/auth.js';
import type { ApiKeySource, ApiSources } from './ports.js';
import { healthRoutes } from './routes/health.js';
import { stateRoutes } from './routes/state.js';
import { ErrorAnswer } from './schemas.js';

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

const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

interface HttpError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** An HTTPS server in place of fastify's HTTP one; it listens, closes and answers alike. */
function httpsServerFactory(tls: { cert: Buffer; key: Buffer }): FastifyServerFactory {
  return (handler) => createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler);
}

/** Builds the local HTTP API without listening, so tests can use `inject` or a real port. */
export async function buildApi(sources: ApiSources, deps: ApiDeps, options: ApiOptions = {}) {
  const { logger } = deps;
  const app = fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Refuse unknown body keys instead of fastify's default of silently removing them.
    ajv: { customOptions: { removeAdditional: false } },
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.https ? { serverFactory: httpsServerFactory(options.https) } : {}),
  });
  app.setErrorHandler((err: HttpError, _request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err }, 'api request failed');
    // Never a stack trace to the caller; a 5xx says only that it failed and is logged here.
    const body =
      status >= 500
        ? { code: EdgeErrorCode.apiInternal, message: 'internal error' }
        : status === 429
          ? { code: EdgeErrorCode.apiRateLimited, message: err.message }
          : { code: err.code ?? EdgeErrorCode.apiRequestInvalid, message: err.message };
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: EdgeErrorCode.apiRequestInvalid, message: `route ${request.method} ${request.url.split('?')[0] ?? ''} not found` });
  });
  app.addSchema(ErrorAnswer);
  // Order matters: the rate limit's onRequest hook first, then the key check (plugins/auth.ts).
  await app.register(rateLimit, { global: true, max: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 });
  addApiKeyAuth(app, new ApiKeyVerifier(deps.keys));
  const corsOrigins = options.corsOrigins ?? [];
  if (corsOrigins.length > 0) await app.register(cors, { origin: [...corsOrigins] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Coupler edge local API', version: options.softwareVersion ?? '0.0.0' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from api.keys.' } } },
      security: [{ apiKey: [] }],
    },
  });
  healthRoutes(app, sources);
  stateRoutes(app, sources);
  app.get('/openapi.json', { config: { access: 'read' }, schema: { hide: true } }, () => app.swagger());
  return app;
}
export type LocalApi = Awaited<ReturnType<typeof buildApi>>;
