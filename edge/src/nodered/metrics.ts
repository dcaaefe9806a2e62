import { Counter, Gauge, type Registry } from 'prom-client';

export interface NodeRedMetrics {
  restarts: Counter<'reason'>;
  deployments: Counter<'result'>;
  up: Gauge;
  safeMode: Gauge;
}

export function createNodeRedMetrics(registry: Registry): NodeRedMetrics {
  const registers = [registry];
  return {
    restarts: new Counter({
      name: 'coupler_nodered_restarts_total',
      help: 'Restarts of the Node-RED child process, by reason (exited: it crashed or was killed; unresponsive: its liveness probe failed).',
      labelNames: ['reason'],
      registers,
    }),
    deployments: new Counter({
      name: 'coupler_nodered_deployments_total',
      help: 'Flow deployments through the Node-RED admin API, by result (deployed; refused: the template was invalid; failed: Node-RED refused it and the previous flows were kept; rolled_back: the deployed flows crashed Node-RED repeatedly and the previous ones were restored).',
      labelNames: ['result'],
      registers,
    }),
    up: new Gauge({ name: 'coupler_nodered_up', help: '1 while the Node-RED child answers its liveness probe, else 0.', registers }),
    safeMode: new Gauge({ name: 'coupler_nodered_safe_mode', help: '1 while Node-RED runs in safe mode (flows stopped) after repeated crashes, until flows are deployed or rolled back.', registers }),
  };
}
