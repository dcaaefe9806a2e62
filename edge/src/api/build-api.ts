import { fastify, LogController } from 'fastify';
import type { Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import type { ApiSources } from './ports.js';

export interface ApiOptions {
  host: string;
  port: number;
}

const MAX_BODY_BYTES = 64 * 1024;

/** Builds the local HTTP API without listening, so tests can use `inject` or a real port. */
export function buildApi(sources: ApiSources, logger: Logger) {
  const app = fastify({
    loggerInstance: logger,
    bodyLimit: MAX_BODY_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err }, 'api request failed');
    // Never a stack trace to the caller; a 5xx says only that it failed and is logged here.
    const body =
      status >= 500
        ? { code: EdgeErrorCode.apiInternal, message: 'internal error' }
        : { code: err.code ?? EdgeErrorCode.apiRequestInvalid, message: err.message };
    void reply.status(status).send(body);
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const dependencies = sources.dependencies();
    const isReady = dependencies.every((d) => d.isUp || !d.isRequired);
    return reply.status(isReady ? 200 : 503).send({ status: isReady ? 'ready' : 'not ready', dependencies });
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await sources.metrics();
    return reply.type(contentType).send(body);
  });
  app.get('/api/v1/buffer', () => sources.buffer());
  app.get('/api/v1/sync', () => sources.sync());
  app.get('/api/v1/devices', () => sources.devices());
  app.get('/api/v1/quarantine', () => sources.quarantine());
  return app;
}
export type LocalApi = ReturnType<typeof buildApi>;
