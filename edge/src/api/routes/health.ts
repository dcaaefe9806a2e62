import type { Route } from '../app.js';
import type { ApiSources } from '../ports.js';
import { Health, Readiness } from '../schemas.js';

/** Liveness and readiness: open to probes, not rate limited. */
export function healthRoutes(sources: ApiSources): Route[] {
  return [
    { method: 'GET', path: '/healthz', access: 'public', summary: 'The process answers.', responses: { 200: Health }, handle: () => ({ json: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      access: 'public',
      summary: 'Required dependencies are up.',
      responses: { 200: Readiness, 503: Readiness },
      handle: () => {
        const dependencies = sources.dependencies().map(({ name, isUp, isRequired, detail }) => ({ name, isUp, isRequired, ...(detail === undefined ? {} : { detail }) }));
        const isReady = dependencies.every((d) => d.isUp || !d.isRequired);
        return { status: isReady ? 200 : 503, json: { status: isReady ? 'ready' : 'not ready', dependencies } };
      },
    },
  ];
}
