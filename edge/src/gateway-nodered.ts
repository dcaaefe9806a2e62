import { join, resolve } from 'node:path';
import type { Logger } from '@coupler/kit';
import type { Registry } from 'prom-client';
import type { BusUser } from './bus/index.js';
import type { FrozenEdgeConfig } from './config/index.js';
import { hashSecret, randomSecret } from './lib/index.js';
import { createNodeRed, type NodeRed, type NodeRedSecrets } from './nodered/index.js';
import { resolveNodeRedSecrets } from './security/index.js';

/** The broker user Node-RED's MQTT nodes log in as: role service, a new random password at every start. */
export const NODERED_BUS_USER = 'coupler-nodered';
/** A Node-RED that ran this long before it stopped starts again after the shortest back-off. */
const STABLE_AFTER_MS = 60_000;

/**
 * Part of the composition root (gateway.ts): wires the Node-RED capability to the bus (a service
 * user only it knows) and to its secrets (configured, or generated in development mode).
 */
export function createNodeRedPart(
  config: FrozenEdgeConfig,
  deps: { logger: Logger; registry: Registry; busUsers: Map<string, BusUser>; busPort: () => number },
): {
  nodeRed: NodeRed;
  part: { name: string; isRequired: boolean; start(): Promise<void>; stop(): Promise<void> };
  /** Deploys changed `nodeRed.flows` (configuration reload) to the running Node-RED; rejects, keeping the old flows, when they are bad. */
  deployFlows(flows: FrozenEdgeConfig['nodeRed']['flows']): Promise<void>;
} {
  const section = config.nodeRed;
  let secrets: NodeRedSecrets | undefined;
  const nodeRed = createNodeRed(
    {
      host: section.host,
      port: section.port,
      userDir: join(config.dataDir, 'nodered'),
      templatesDir: section.templatesDir,
      nodesDir: resolve(section.nodesDir),
      memoryLimitMb: section.memoryLimitMb,
      niceness: section.niceness,
      functionTimeoutSeconds: section.functionTimeoutSeconds,
      startTimeoutMs: section.startTimeoutMs,
      healthIntervalMs: section.healthIntervalMs,
      maxMissedHealthChecks: section.maxMissedHealthChecks,
      initialBackoffMs: section.initialBackoffMs,
      maxBackoffMs: section.maxBackoffMs,
      rollbackAfterCrashes: section.rollbackAfterCrashes,
      rollbackWindowMs: section.rollbackWindowMs,
      stableAfterMs: STABLE_AFTER_MS,
      gatewayId: config.gateway.id,
      flows: instances(section.flows),
    },
    {
      logger: deps.logger,
      registry: deps.registry,
      secrets: () => {
        if (!secrets) throw new Error('Node-RED secrets are resolved before Node-RED starts');
        return secrets;
      },
    },
  );
  const part = {
    name: 'nodered',
    isRequired: false,
    start: async () => {
      const resolved = await resolveNodeRedSecrets(
        { mode: config.security.mode, dataDir: config.dataDir, credentialSecret: section.credentialSecret, editorUsers: section.editorUsers },
        { logger: deps.logger },
      );
      const password = randomSecret();
      deps.busUsers.set(NODERED_BUS_USER, { username: NODERED_BUS_USER, passwordHash: await hashSecret(password), role: 'service' });
      secrets = {
        credentialSecret: resolved.credentialSecret,
        editorUsers: resolved.editorUsers,
        httpNodeAuth: section.httpNodeAuth && { ...section.httpNodeAuth },
        bus: { host: config.bus.host, port: deps.busPort(), username: NODERED_BUS_USER, password },
      };
      await nodeRed.start();
    },
    stop: () => nodeRed.stop(),
  };
  const deployFlows = async (flows: FrozenEdgeConfig['nodeRed']['flows']) => {
    if (nodeRed.status().state !== 'running') throw new Error(`Node-RED is ${nodeRed.status().state}; the changed nodeRed.flows were not deployed`);
    await nodeRed.deploy(instances(flows));
  };
  return { nodeRed, part, deployFlows };
}

function instances(flows: FrozenEdgeConfig['nodeRed']['flows']) {
  return flows.map((flow) => ({ name: flow.name, template: flow.template, parameters: { ...flow.parameters } }));
}
