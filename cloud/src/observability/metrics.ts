import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per cloud instance, passed to every capability; never prom-client's global one. */
export function createMetricsRegistry(options: { version: string }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'coupler_cloud_' });
  const buildInfo = new Gauge({
    name: 'coupler_build_info',
    help: 'Constant 1, labelled with the software version and the component.',
    labelNames: ['version', 'component'] as const,
    registers: [registry],
  });
  buildInfo.set({ version: options.version, component: 'cloud' }, 1);
  return registry;
}
