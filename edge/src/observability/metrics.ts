import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, passed to every capability; never prom-client's global one. */
export function createMetricsRegistry(options: { version: string; gatewayId: string }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'coupler_edge_' });
  const buildInfo = new Gauge({
    name: 'coupler_build_info',
    help: 'Constant 1, labelled with the software version and gateway id.',
    labelNames: ['version', 'gateway'] as const,
    registers: [registry],
  });
  buildInfo.set({ version: options.version, gateway: options.gatewayId }, 1);
  return registry;
}
