import { errorMessage } from '@coupler/kit';
import { parseFlowsBundle, type FlowsBundle } from './config/index.js';
import type { FlowsUpdater } from './desired/index.js';
import type { FleetKey } from './gateway-fleet-key.js';
import type { Deployment } from './nodered/index.js';
import { fetchVerified, type ArtifactSource } from './ota/index.js';

/** What the flows updater needs of the Node-RED part (gateway-nodered.ts). */
export interface FlowsDeployment {
  state(): string;
  deploy(flows: FlowsBundle['flows']): Promise<void>;
  onDeployment(listener: (deployment: Deployment) => void): () => void;
}

/**
 * A flows bundle from the desired state: downloaded and checked as firmware is (signature,
 * SHA-256, kind flows-bundle), parsed, then deployed through the Node-RED part, which keeps the
 * previous flows when a template is bad and rolls back after a crash loop. Such a rollback,
 * later, turns the item from done to rolled_back.
 */
export function createFlowsUpdater(deps: { deployment: FlowsDeployment; source: ArtifactSource; folder: string; fleetKey: () => FleetKey }): FlowsUpdater {
  const listeners = new Set<(sha256: string, reason: string) => void>();
  // The bundle whose flows Node-RED runs because we deployed them; undefined once others replaced them.
  const running: { sha256: string | undefined; isDeploying: boolean } = { sha256: undefined, isDeploying: false };
  let unsubscribe: (() => void) | undefined;
  const onDeployment = (deployment: Deployment) => {
    if (running.isDeploying) return;
    const sha256 = running.sha256;
    if (deployment.result === 'deployed') running.sha256 = undefined; // a configuration reload deployed its own flows
    if (deployment.result !== 'rolled_back' || sha256 === undefined) return;
    running.sha256 = undefined;
    for (const listener of listeners) listener(sha256, `the flows crashed Node-RED (${deployment.error ?? 'repeatedly'}); the flows from before them run again`);
  };
  return {
    onRolledBack: (listener) => {
      listeners.add(listener);
      unsubscribe ??= deps.deployment.onDeployment(onDeployment);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        unsubscribe?.();
        unsubscribe = undefined;
      };
    },
    apply: async (artifact, progress) => {
      const key = deps.fleetKey();
      if ('problem' in key) return { outcome: 'refused', step: 'verify', reason: key.problem, isFinal: false };
      progress({ step: 'download' });
      const fetched = await fetchVerified(artifact, deps.source, { folder: deps.folder, publicKey: key.key, kind: 'flows-bundle' });
      if ('refusal' in fetched) return { outcome: 'refused', step: 'verify', reason: fetched.refusal };
      let flows: FlowsBundle['flows'];
      try {
        flows = parseFlowsBundle(fetched.content);
      } catch (err) {
        return { outcome: 'refused', step: 'verify', reason: errorMessage(err) };
      }
      const state = deps.deployment.state();
      if (state !== 'running') throw new Error(`Node-RED is ${state}; the flows are deployed once it runs`);
      progress({ step: 'deploy' });
      running.isDeploying = true;
      try {
        await deps.deployment.deploy(flows);
      } catch (err) {
        return { outcome: 'refused', step: 'deploy', reason: `${errorMessage(err)}; the previous flows keep running` };
      } finally {
        running.isDeploying = false;
      }
      running.sha256 = artifact.manifest.sha256;
      return { outcome: 'done', step: 'deploy' };
    },
  };
}
