import { fastify, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { CouplerError, errorMessage, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { DashboardApp, DependencyState, ReadinessChecks } from './ports.js';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port; httpServer.port() tells which. */
  port: number;
}

export interface HttpServerDeps {
  logger: Logger;
  metrics: Registry;
  checks: ReadinessChecks;
  /** The fleet as the sync streams report it (GET /api/v1/gateways). */
  gateways: () => unknown[];
  /** Adds the dashboard's routes (createDashboard); absent, only the endpoints above are served. */
  dashboard?: (app: DashboardApp) => void;
}

export interface HttpServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bound port; 0 before start. */
  port(): number;
}

const BODY_LIMIT_BYTES = 64 * 1024;

const healthSchema = {
  response: {
    200: {
      type: 'object',
      properties: { status: { type: 'string' } },
      required: ['status'],
      additionalProperties: false,
    },
  },
} as const;

const readySchema = (() => {
  const body = {
    type: 'object',
    properties: {
      status: { type: 'string' },
      checks: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: { isReady: { type: 'boolean' }, state: { type: 'string' } },
          required: ['isReady', 'state'],
        },
      },
    },
    required: ['status', 'checks'],
  } as const;
  return { response: { 200: body, 503: body } };
})();

function buildApp(deps: HttpServerDeps) {
  // fastify logs every request at info; per-request lines are debug detail here (STYLE §6).
  const app = fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
  });

  app.setErrorHandler((err, _request, reply) => {
    const statusCode =
      typeof err === 'object' &&
      err !== null &&
      'statusCode' in err &&
      typeof err.statusCode === 'number'
        ? err.statusCode
        : 500;
    if (statusCode >= 500) {
      deps.logger.error({ err }, 'http request failed');
      return reply.code(statusCode).send({ code: 'INTERNAL', message: 'internal error' });
    }
    const code =
      typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
        ? err.code
        : 'BAD_REQUEST';
    return reply.code(statusCode).send({ code, message: errorMessage(err) });
  });

  app.get('/api/v1/gateways', () => ({ gateways: deps.gateways() }));
  app.get('/healthz', { schema: healthSchema }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readySchema }, (_request, reply) => {
    const checks: Record<string, DependencyState> = {};
    for (const [name, check] of Object.entries(deps.checks)) checks[name] = check();
    const isReady = Object.values(checks).every((c) => c.isReady);
    return reply
      .code(isReady ? 200 : 503)
      .send({ status: isReady ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(text);
  });

  deps.dashboard?.(app);
  return app;
}

type App = ReturnType<typeof buildApp>;

/** Health, readiness and Prometheus metrics over HTTP, and the dashboard when one is given. */
export function createHttpServer(options: HttpServerOptions, deps: HttpServerDeps): HttpServer {
  let app: App | undefined;
  let boundPort = 0;
  return {
    async start() {
      if (app) return;
      const next = buildApp(deps);
      try {
        await next.listen({ host: options.host, port: options.port });
      } catch (err) {
        await next.close();
        throw new CouplerError(
          CloudErrorCode.listen,
          `cannot listen for HTTP on ${options.host}:${options.port}: ${errorMessage(err)}`,
          {
            cause: err,
          },
        );
      }
      const address = next.server.address();
      boundPort = typeof address === 'object' && address !== null ? address.port : options.port;
      app = next;
      deps.logger.info({ host: options.host, port: boundPort }, 'http server listening');
    },
    async stop() {
      const current = app;
      if (!current) return;
      app = undefined;
      boundPort = 0;
      await current.close();
      deps.logger.info('http server stopped');
    },
    port: () => boundPort,
  };
}
