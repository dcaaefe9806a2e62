import type { ApiApp } from '../app.js';
import type { ApiSources } from '../ports.js';
import { Health, Readiness } from '../schemas.js';

/** Liveness and readiness: open to probes, not rate limited. */
export function healthRoutes(app: ApiApp, sources: ApiSources): void {
  const config = { access: 'public', rateLimit: false } as const;
  app.get('/healthz', { config, schema: { summary: 'The process answers.', response: { 200: Health } } }, () => ({ status: 'ok' as const }));
  app.get('/readyz', { config, schema: { summary: 'Required dependencies are up.', response: { 200: Readiness, 503: Readiness } } }, async (_request, reply) => {
    const dependencies = sources.dependencies();
    const isReady = dependencies.every((d) => d.isUp || !d.isRequired);
    return reply.status(isReady ? 200 : 503).send({ status: isReady ? 'ready' : 'not ready', dependencies });
  });
}
