import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeArtifact, signManifest } from '@coupler/kit';
import type { AppliedItem__Output, DesiredArtifact } from '@coupler/proto';
import { loadEdgeConfig } from '../../src/config/index.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { silentLogger } from '../helpers/gateway-parts.js';
import { startScriptedSyncServer, type ScriptedSyncServer } from '../helpers/grpc-sync-server.js';
import { TEMPLATES_DIR } from '../helpers/node-red.js';
import { fleetKey } from '../helpers/ota.js';
import { READ_KEY, securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const key = fleetKey();
const ALARM = { name: 'car1-door-alarm', template: 'threshold-alarm', parameters: { DEVICE_ID: 'car1-doors', SIGNAL: 'a0', THRESHOLD: 800 } };

/** A flows-bundle artifact signed as the cloud signs it, with the bytes the cloud serves for it. */
function bundle(content: unknown, version: string): { desired: (rolloutId: string) => DesiredArtifact; sha256: string; bytes: Buffer } {
  const bytes = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content));
  const manifest = describeArtifact(bytes, 'flows-bundle', version, new Date());
  const signature = signManifest(manifest, key.privateKey);
  return {
    bytes,
    sha256: manifest.sha256,
    desired: (rolloutId) => ({ artifact: { kind: 'ARTIFACT_KIND_FLOWS_BUNDLE', version, sizeBytes: manifest.size, sha256: manifest.sha256, created: manifest.created, signature }, rolloutId }),
  };
}

/** The threshold-alarm template plus flows/test-templates/busy-loop, whose flow never yields (Node-RED stops answering). */
function templatesWithBusyLoop(): string {
  const dir = tempDir('coupler-templates-');
  cpSync(join(TEMPLATES_DIR, 'threshold-alarm'), join(dir, 'threshold-alarm'), { recursive: true });
  cpSync(join(TEMPLATES_DIR, '../test-templates/busy-loop'), join(dir, 'busy-loop'), { recursive: true });
  return dir;
}

async function startEdge(cloud: { address: string }, dataDir = tempDir('coupler-desired-flows-')): Promise<Gateway> {
  const keyFile = join(dataDir, 'fleet.pub.pem');
  writeFileSync(keyFile, key.publicKeyPem);
  const env = {
    COUPLER_GATEWAY_ID: 'gw-flows',
    COUPLER_DATA_DIR: dataDir,
    COUPLER_SECURITY_MODE: 'development',
    COUPLER_BUS_PORT: '0',
    COUPLER_API_PORT: '0',
    COUPLER_SYNC_CLOUD_URL: cloud.address,
    COUPLER_SYNC_INITIAL_BACKOFF_MS: '50',
    COUPLER_NODE_RED_ENABLED: 'true',
    COUPLER_NODE_RED_PORT: '0',
    COUPLER_NODE_RED_TEMPLATES_DIR: templatesWithBusyLoop(),
    COUPLER_NODE_RED_HEALTH_INTERVAL_MS: '500',
    COUPLER_NODE_RED_MAX_MISSED_HEALTH_CHECKS: '2',
    COUPLER_NODE_RED_ROLLBACK_AFTER_CRASHES: '2',
    COUPLER_NODE_RED_INITIAL_BACKOFF_MS: '100',
    COUPLER_OTA_PUBLIC_KEY_FILE: keyFile,
    ...(await securityEnv()),
  };
  const gateway = createGateway(loadEdgeConfig({ file: undefined, env }), { logger: silentLogger(), softwareVersion: '9.9.9-test' });
  onTestFinished(() => gateway.stop());
  await gateway.start();
  return gateway;
}

function ended(cloud: ScriptedSyncServer, rolloutId: string, outcome?: string): AppliedItem__Output | undefined {
  return cloud.appliedReports.at(-1)?.items.find((item) => item.kind === 'flows' && item.rolloutId === rolloutId && item.outcome !== 'in_progress' && (outcome === undefined || item.outcome === outcome));
}

async function lastDeployment(gateway: Gateway): Promise<{ result: string; flows: string[]; error?: string } | undefined> {
  const response = await fetch(`http://127.0.0.1:${gateway.ports().http}/api/v1/nodered`, { headers: { authorization: `Bearer ${READ_KEY}` }, signal: AbortSignal.timeout(5000) });
  return ((await response.json()) as { lastDeployment?: { result: string; flows: string[]; error?: string } }).lastDeployment;
}

// Each test runs a real Node-RED child (about 1 s alone, several on a busy machine).
describe('desired flows bundle from the sync stream, deployed to a real Node-RED', () => {
  it('deploys a signed bundle and reports done; refuses a bundle naming a template the gateway lacks, and one that is not JSON, leaving the flows running', async () => {
    const good = bundle({ flows: [ALARM] }, '1.0.0');
    const unknownTemplate = bundle({ flows: [{ name: 'x', template: 'no-such-template', parameters: {} }] }, '1.0.1');
    const notJson = bundle('{"flows": [', '1.0.2');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([good, unknownTemplate, notJson].map((b) => [b.sha256, b.bytes])) });
    const gateway = await startEdge(cloud);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);

    cloud.sendDesired({ revision: 1, firmware: [], flows: good.desired('r-good') });
    expect(await waitFor('the bundle deployed', () => ended(cloud, 'r-good'), 30_000)).toMatchObject({ kind: 'flows', deviceId: '', targetVersion: '1.0.0', targetSha256: good.sha256, outcome: 'done', step: 'deploy', reason: '' });
    expect(await lastDeployment(gateway)).toMatchObject({ result: 'deployed', flows: ['car1-door-alarm'] });

    cloud.sendDesired({ revision: 2, firmware: [], flows: unknownTemplate.desired('r-unknown') });
    const refused = await waitFor('the bundle refused', () => ended(cloud, 'r-unknown'), 30_000);
    expect(refused).toMatchObject({ outcome: 'refused', step: 'deploy' });
    expect(refused.reason).toMatch(/no-such-template.*; the previous flows keep running$/s);

    cloud.sendDesired({ revision: 3, firmware: [], flows: notJson.desired('r-not-json') });
    expect(await waitFor('the bundle refused', () => ended(cloud, 'r-not-json'), 30_000)).toMatchObject({ outcome: 'refused', step: 'verify', reason: expect.stringMatching(/^the flows bundle is not JSON: /) as unknown });
    // Still the good bundle's flows (the refused deployment did not replace them).
    expect(await lastDeployment(gateway)).toMatchObject({ result: 'refused', flows: ['x'] });
    expect(gateway.nodeRed()).toMatchObject({ state: 'running', restarts: 0 });
  }, 60_000);

  it('deploys the desired flows again after a restart while the cloud is away, from the verified bundle on disk', async () => {
    const good = bundle({ flows: [ALARM] }, '1.0.0');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([[good.sha256, good.bytes]]) });
    const dataDir = tempDir('coupler-desired-flows-');
    const first = await startEdge(cloud, dataDir);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);
    cloud.sendDesired({ revision: 1, firmware: [], flows: good.desired('r-good') });
    await waitFor('the bundle deployed', () => ended(cloud, 'r-good'), 30_000);
    await first.stop();
    const reads = cloud.chunkReads.length;
    await cloud.close();

    const second = await startEdge(cloud, dataDir); // the same address, nobody listening
    await waitFor('the desired flows deployed again', async () => (await lastDeployment(second))?.result === 'deployed', 30_000);
    expect(await lastDeployment(second)).toMatchObject({ flows: ['car1-door-alarm'] });
    expect(cloud.chunkReads.length).toBe(reads);
  }, 60_000);

  it('reports rolled_back when the deployed flows crash Node-RED repeatedly and the flows from before are deployed again', async () => {
    const busy = bundle({ flows: [{ name: 'busy', template: 'busy-loop', parameters: {} }] }, '2.0.0');
    const cloud = await startScriptedSyncServer(undefined, { artifacts: new Map([[busy.sha256, busy.bytes]]) });
    const gateway = await startEdge(cloud);
    await waitFor('the report after hello', () => cloud.appliedReports.length >= 1);

    cloud.sendDesired({ revision: 1, firmware: [], flows: busy.desired('r-busy') });
    await waitFor('the bundle deployed', () => ended(cloud, 'r-busy', 'done'), 30_000);
    const rolledBack = await waitFor('the bundle rolled back', () => ended(cloud, 'r-busy', 'rolled_back'), 60_000, 100);
    expect(rolledBack).toMatchObject({ targetVersion: '2.0.0', step: 'rollback', reason: 'the flows crashed Node-RED (2 crashes within 600000 ms of the deployment); the flows from before them run again' });
    expect(await lastDeployment(gateway)).toMatchObject({ result: 'rolled_back' });

    // The same desired state again (every hello sends it): the crashing flows are not deployed again.
    cloud.sendDesired({ revision: 1, firmware: [], flows: busy.desired('r-busy') });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ended(cloud, 'r-busy')).toMatchObject({ outcome: 'rolled_back' });
    expect(await lastDeployment(gateway)).toMatchObject({ result: 'rolled_back' });
  }, 90_000);
});
