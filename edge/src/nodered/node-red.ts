import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { Logger } from '@coupler/kit';
import type { Registry } from 'prom-client';
import { NodeRedAdminClient } from './admin-client.js';
import { CrashLoopGuard } from './crash-guard.js';
import { FlowsDeployer, type DeployOutcome, type Deployment } from './deploy.js';
import { createNodeRedMetrics } from './metrics.js';
import { nodeRedSettings, type EditorUser } from './settings.js';
import { NodeRedSupervisor, type NodeRedStatus, type SupervisorOptions } from './supervisor.js';
import type { FlowInstance } from './template.js';

export interface NodeRedOptions extends Omit<SupervisorOptions, 'port'> {
  /** 0 picks a free port at start. */
  port: number;
  templatesDir: string;
  /** Folder of Node-RED node packages to load (flows/nodes), if any. */
  nodesDir: string | undefined;
  functionTimeoutSeconds: number;
  gatewayId: string;
  flows: readonly FlowInstance[];
  /** Crashes within `rollbackWindowMs` after a deployment that roll the flows back. */
  rollbackAfterCrashes: number;
  rollbackWindowMs: number;
}

/** What Node-RED needs from the edge's secrets: the root resolves them (development mode generates). */
export interface NodeRedSecrets {
  credentialSecret: string;
  editorUsers: readonly EditorUser[];
  httpNodeAuth: { username: string; passwordHash: string } | undefined;
  /** The broker login of Node-RED's MQTT nodes: a `service` user of the bus. */
  bus: { host: string; port: number; username: string; password: string };
}

/** The child's state plus what became of the last deployment, as the local API reports it. */
export interface NodeRedReport extends NodeRedStatus {
  isSafeMode: boolean;
  lastDeployment: Deployment | undefined;
}

export interface NodeRed {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): NodeRedStatus;
  report(): NodeRedReport;
  /** Renders and deploys these instances to the running Node-RED; rejects, keeping the old flows, when they are bad. */
  deploy(flows: readonly FlowInstance[]): Promise<DeployOutcome>;
  /** Calls `listener` with the outcome of every deployment, including rollbacks after crash loops. */
  onDeployment(listener: (deployment: Deployment) => void): () => void;
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

/** The Node-RED capability: the supervised child plus flows deployment through its admin API. */
export function createNodeRed(options: NodeRedOptions, deps: { logger: Logger; registry: Registry; secrets: () => NodeRedSecrets }): NodeRed {
  const metrics = createNodeRedMetrics(deps.registry);
  const deployToken = randomBytes(32).toString('base64url');
  let supervisor: NodeRedSupervisor | undefined;
  const admin = new NodeRedAdminClient({ baseUrl: () => supervisor?.baseUrl ?? 'http://127.0.0.1:0', token: deployToken });
  const deployer = new FlowsDeployer({ templatesDir: options.templatesDir, userDir: options.userDir }, { admin, logger: deps.logger, metrics });
  // An object, not a let: callbacks change it, which control-flow narrowing cannot see.
  const isSafeMode = { value: false };
  const setSafeMode = (value: boolean) => {
    isSafeMode.value = value;
    metrics.safeMode.set(value ? 1 : 0);
  };
  const guard = new CrashLoopGuard({ maxCrashes: options.rollbackAfterCrashes, windowMs: options.rollbackWindowMs });
  // Flows that crash Node-RED over and over: the next start is in safe mode (flows stopped), and
  // once it answers the flows from before the last deployment are deployed. With nothing to roll
  // back to (flows deployed from the editor), Node-RED stays up in safe mode instead of looping.
  const onCrashed = () => {
    if (guard.crashed()) supervisor?.restartInSafeMode();
  };
  const onRunning = (isStartedSafe: boolean) => {
    setSafeMode(isStartedSafe);
    if (!isStartedSafe) return;
    if (!deployer.canRollBack()) {
      deps.logger.error({ crashes: options.rollbackAfterCrashes, windowMs: options.rollbackWindowMs }, 'Node-RED crashed repeatedly; it runs in safe mode with its flows stopped until flows are deployed');
      return;
    }
    deployer.rollBack(`${options.rollbackAfterCrashes} crashes within ${options.rollbackWindowMs} ms of the deployment`).then(
      () => {
        setSafeMode(false);
        guard.arm();
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'flows could not be rolled back; Node-RED runs in safe mode with its flows stopped');
      },
    );
  };
  const deploy = async (flows: readonly FlowInstance[]) => {
    const outcome = await deployer.deploy(flows);
    setSafeMode(false);
    guard.arm();
    return outcome;
  };

  const childEnv = () => {
    const secrets = deps.secrets();
    const port = supervisor?.status().port ?? options.port;
    return {
      settings: nodeRedSettings({ ...options, port, ...secrets, deployToken }),
      variables: {
        COUPLER_BUS_HOST: secrets.bus.host === '0.0.0.0' ? '127.0.0.1' : secrets.bus.host,
        COUPLER_BUS_PORT: String(secrets.bus.port),
        COUPLER_BUS_USERNAME: secrets.bus.username,
        COUPLER_BUS_PASSWORD: secrets.bus.password,
        COUPLER_GATEWAY_ID: options.gatewayId,
      },
    };
  };

  return {
    async start() {
      if (supervisor) return;
      const port = options.port === 0 ? await freePort(options.host) : options.port;
      supervisor = new NodeRedSupervisor(
        { ...options, port },
        { logger: deps.logger, metrics, childEnv, hasLoadedFlows: () => admin.hasLoadedFlows(), onCrashed, onRunning },
      );
      await supervisor.start();
      guard.arm();
      if (options.flows.length === 0) return;
      // A bad template is logged and counted by the deployer; Node-RED runs its previous flows.
      await deploy(options.flows).catch(() => undefined);
    },
    async stop() {
      await supervisor?.stop();
      supervisor = undefined;
    },
    status() {
      return supervisor?.status() ?? { state: 'stopped', pid: undefined, port: options.port, restarts: 0 };
    },
    report() {
      const status = supervisor?.status() ?? { state: 'stopped' as const, pid: undefined, port: options.port, restarts: 0 };
      return { ...status, isSafeMode: status.state === 'running' && isSafeMode.value, lastDeployment: deployer.lastDeployment() };
    },
    deploy,
    onDeployment: (listener) => deployer.onDeployment(listener),
  };
}
