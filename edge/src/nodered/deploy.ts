import { join } from 'node:path';
import { CouplerError, type Logger } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import type { NodeRedAdminClient } from './admin-client.js';
import { writeFileAtomic } from '../lib/index.js';
import type { NodeRedMetrics } from './metrics.js';
import { renderFlows } from './template-files.js';
import { formatProblems, type FlowInstance, type FlowNode } from './template.js';

/** Node types that are part of the flow format itself, not of a node module (docs/api/admin/types.md). */
const STRUCTURAL_TYPES = new Set(['tab', 'subflow', 'group', 'junction']);
export const RENDERED_FLOWS_FILE = 'coupler-flows.json';
/** The flows that ran before the last deployment: what a rollback restores. */
export const PREVIOUS_FLOWS_FILE = 'coupler-flows.previous.json';

export interface DeployOutcome {
  rev: string;
  nodes: number;
}

/** What became of the last deployment: the outcome the local API reports. */
export interface Deployment {
  result: 'deployed' | 'refused' | 'failed' | 'rolled_back';
  atMs: number;
  /** Instance names; empty for a rollback. */
  flows: string[];
  rev?: string;
  error?: string;
}

function unknownTypes(nodes: readonly FlowNode[], known: ReadonlySet<string>): FlowNode[] {
  const subflows = new Set(nodes.filter((node) => node.type === 'subflow').map((node) => node.id));
  return nodes.filter((node) => {
    if (STRUCTURAL_TYPES.has(node.type) || known.has(node.type)) return false;
    return !(node.type.startsWith('subflow:') && subflows.has(node.type.slice('subflow:'.length)));
  });
}

/**
 * Flows as fleet templates: renders the configured instances, checks them against the node
 * types the running Node-RED has, keeps the rendered file (written atomically), and deploys it
 * through the admin API without restarting Node-RED. Anything wrong is found before Node-RED is
 * touched, so a bad template leaves the previous flows running; when Node-RED itself refuses a
 * deployment, the previous flows are posted back.
 */
export class FlowsDeployer {
  private rollbackTo: FlowNode[] | undefined;
  /** What this deployer last deployed, with its credentials, which GET /flows never returns. */
  private lastDeployed: FlowNode[] | undefined;
  private last: Deployment | undefined;
  private readonly listeners = new Set<(deployment: Deployment) => void>();

  constructor(
    private readonly options: { templatesDir: string; userDir: string },
    private readonly deps: { admin: NodeRedAdminClient; logger: Logger; metrics: NodeRedMetrics; now?: () => number },
  ) {}

  async deploy(instances: readonly FlowInstance[]): Promise<DeployOutcome> {
    const { admin, logger, metrics } = this.deps;
    const names = instances.map((instance) => instance.name);
    let nodes: FlowNode[];
    try {
      nodes = await renderFlows(instances, this.options.templatesDir);
      const unknown = unknownTypes(nodes, await admin.nodeTypes());
      if (unknown.length > 0) {
        const problems = unknown.map((node) => ({ path: `node ${node.id}`, reason: `has type ${node.type}, which this Node-RED does not have` }));
        throw new CouplerError(EdgeErrorCode.flowsTemplateInvalid, `invalid flows template instances:\n${formatProblems(problems)}`, { details: { problems } });
      }
    } catch (err) {
      this.record({ result: 'refused', flows: names, error: (err as Error).message });
      metrics.deployments.inc({ result: 'refused' });
      logger.error({ err }, 'flows not deployed; the previous flows keep running');
      throw err;
    }
    const previous = await admin.flows();
    await writeFileAtomic(join(this.options.userDir, RENDERED_FLOWS_FILE), `${JSON.stringify(nodes, null, 2)}\n`, 0o644);
    let rev: string;
    try {
      rev = await admin.deploy(nodes, previous.rev);
    } catch (err) {
      this.record({ result: 'failed', flows: names, error: (err as Error).message });
      metrics.deployments.inc({ result: 'failed' });
      await this.restore(previous.flows);
      throw new CouplerError(EdgeErrorCode.flowsDeployFailed, `Node-RED refused the flows; the previous ones were kept: ${(err as Error).message}`, { cause: err });
    }
    // Ours when we deployed the running flows (credentials included); else what Node-RED ran,
    // whose credentials Node-RED dropped with the nodes the new flows no longer have.
    this.rollbackTo = this.lastDeployed ?? previous.flows;
    this.lastDeployed = nodes;
    this.record({ result: 'deployed', flows: names, rev });
    metrics.deployments.inc({ result: 'deployed' });
    logger.info({ rev, nodes: nodes.length, flows: names }, 'flows deployed');
    await writeFileAtomic(join(this.options.userDir, PREVIOUS_FLOWS_FILE), `${JSON.stringify(this.rollbackTo, null, 2)}\n`, 0o644);
    return { rev, nodes: nodes.length };
  }

  lastDeployment(): Deployment | undefined {
    return this.last;
  }

  /** Calls `listener` with every deployment's outcome, rollbacks included; returns the unsubscribe. */
  onDeployment(listener: (deployment: Deployment) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(deployment: Omit<Deployment, 'atMs'>): void {
    const last = { ...deployment, atMs: (this.deps.now ?? Date.now)() };
    this.last = last;
    for (const listener of this.listeners) listener(last);
  }

  /** True while the last deployment can still be undone (once only). */
  canRollBack(): boolean {
    return this.rollbackTo !== undefined;
  }

  /** Deploys the flows that ran before the last deployment, e.g. after that one crashed Node-RED repeatedly. */
  async rollBack(reason: string): Promise<void> {
    const flows = this.rollbackTo;
    if (!flows) return;
    this.rollbackTo = undefined;
    const rev = await this.deps.admin.deploy(flows, undefined);
    this.lastDeployed = flows;
    this.record({ result: 'rolled_back', flows: [], rev, error: reason });
    this.deps.metrics.deployments.inc({ result: 'rolled_back' });
    this.deps.logger.error({ rev, nodes: flows.length, reason }, 'flows rolled back to the ones before the last deployment');
  }

  private async restore(flows: FlowNode[]): Promise<void> {
    try {
      await this.deps.admin.deploy(flows, undefined);
    } catch (err) {
      this.deps.logger.error({ err }, 'previous flows could not be posted back; Node-RED runs what it last accepted');
    }
  }
}
