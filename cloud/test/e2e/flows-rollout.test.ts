import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { GatewayDesiredState, OtaRollout__Output } from '@coupler/proto';
import { OPERATOR, startFleetCloud, VIEWER, type FleetCloud } from '../helpers/fleet-cloud.js';
import { unaryCall } from '../helpers/ota-grpc.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { freePort, REPO_ROOT, runTs, type RunningProcess } from './processes.js';

const GATEWAY_ID = 'e2e-flows-car-3';
const DEVICE = 'car3-doors';
const KIND = 'ARTIFACT_KIND_FLOWS_BUNDLE';
const GOOD = { flows: [{ name: 'car3-door-alarm', template: 'threshold-alarm', parameters: { DEVICE_ID: DEVICE, SIGNAL: 'a0', THRESHOLD: 800 } }] };
const BREAKING = { flows: [{ name: 'busy', template: 'busy-loop', parameters: {} }] };

/** The repository's threshold-alarm template plus flows/test-templates/busy-loop, whose flow blocks Node-RED. */
function templates(): string {
  const dir = tempDir('coupler-templates-');
  cpSync(join(REPO_ROOT, 'flows/templates/threshold-alarm'), join(dir, 'threshold-alarm'), { recursive: true });
  cpSync(join(REPO_ROOT, 'flows/test-templates/busy-loop'), join(dir, 'busy-loop'), { recursive: true });
  return dir;
}

/**
 * The device's door contact, swinging across the alarm threshold every 200 ms: each rise is one
 * alarm while the alarm flow runs. Setting `high.value` marks the readings (and their alarms) from then on.
 */
async function swingingDoor(busPort: number, password: string): Promise<{ high: { value: number } }> {
  const client = await connectAsync(`mqtt://127.0.0.1:${busPort}`, { clientId: DEVICE, username: DEVICE, password, reconnectPeriod: 500, connectTimeout: 5000 });
  const high = { value: 901 };
  let isHigh = false;
  const timer = setInterval(() => {
    isHigh = !isHigh;
    const reading = { values: [{ name: 'a0', value: isHigh ? high.value : 100 }] };
    client.publish(`coupler/v1/devices/${DEVICE}/telemetry`, JSON.stringify(reading), { qos: 1 });
  }, 200);
  onTestFinished(async () => {
    clearInterval(timer);
    await client.endAsync(true);
  });
  return { high };
}

function startEdge(cloud: FleetCloud, env: Record<string, string>, ports: { bus: number; api: number }): RunningProcess {
  const dir = tempDir();
  const publicKeyFile = join(dir, 'fleet.pub.pem');
  writeFileSync(publicKeyFile, cloud.cloud.artifactPublicKeyPem() ?? '');
  const config = join(dir, 'edge.yaml');
  writeFileSync(
    config,
    [
      `gateway: { id: ${GATEWAY_ID} }`,
      `dataDir: ${join(dir, 'edge-data')}`,
      `bus: { port: ${ports.bus} }`,
      `api: { port: ${ports.api} }`,
      `sync: { cloudUrl: "${cloud.grpcAddress}", initialBackoffMs: 100, maxBackoffMs: 1000 }`,
      `ota: { publicKeyFile: ${publicKeyFile}, retryInitialMs: 200, retryMaxMs: 2000 }`,
      'nodeRed:',
      '  enabled: true',
      '  port: 0',
      '  credentialSecret: e2e-credential-secret-0123456789',
      `  templatesDir: ${templates()}`,
      `  nodesDir: ${join(REPO_ROOT, 'flows/nodes')}`,
      // A blocked Node-RED is noticed within about a second, and two crashes roll its flows back.
      '  healthIntervalMs: 500',
      '  maxMissedHealthChecks: 2',
      '  initialBackoffMs: 100',
      '  rollbackAfterCrashes: 2',
      '  rollbackWindowMs: 60000',
      '',
    ].join('\n'),
  );
  return runTs('edge/src/main.ts', ['--config', config], { ...env, COUPLER_LOG_LEVEL: 'warn' });
}

describe('a flows rollout from the cloud to a gateway running Node-RED', () => {
  it('deploys good flows and completes; breaking flows are rolled back on the gateway, reported to the cloud, and pause their rollout', { timeout: 120_000 }, async () => {
    const cloud = await startFleetCloud();
    const credentials = await edgeCredentials([DEVICE]);
    const ports = { bus: await freePort(), api: await freePort() };
    const edge = startEdge(cloud, credentials.env, ports);
    const withOutput = (err: unknown): never => {
      throw new Error(`edge output:\n${edge.output()}`, { cause: err });
    };
    const good = await cloud.upload(KIND, '1.0.0', Buffer.from(JSON.stringify(GOOD)));
    const breaking = await cloud.upload(KIND, '2.0.0', Buffer.from(JSON.stringify(BREAKING)));
    await unaryCall(cloud.fleet, 'SetGatewayLabels', { gatewayId: GATEWAY_ID, labels: { train: 'ICE-3', tags: ['flows-canary'] } }, OPERATOR);
    const rollout = (rolloutId: string) => unaryCall<OtaRollout__Output>(cloud.rollouts, 'GetRollout', { rolloutId }, VIEWER);
    const create = (rolloutId: string, artifactSha256: string, previousSha256?: string) =>
      unaryCall(cloud.rollouts, 'CreateRollout', {
        rolloutId, artifactSha256, previousSha256, selector: { tags: ['flows-canary'] }, waveFractions: [1], failureThreshold: 0, waveTimeoutSeconds: 90,
      }, OPERATOR);
    const alarms = async (value: number) =>
      (await cloud.cloud.store.listRecords(GATEWAY_ID, { limit: 100_000 })).filter((r) => r.lane === 'alarm' && r.deviceId === DEVICE && r.values.some((v) => v.name === 'a0' && v.value === value));
    const nodeRedState = async () => {
      const response = await fetch(`http://127.0.0.1:${ports.api}/api/v1/nodered`, { headers: credentials.apiHeaders, signal: AbortSignal.timeout(5000) });
      return (await response.json()) as { state: string; lastDeployment?: { result: string; flows: string[]; error?: string } };
    };

    // 1. The good bundle: the rollout completes and the alarm flow turns the door's readings into alarms in the cloud.
    await create('flows-1.0.0', good);
    await waitFor('rollout flows-1.0.0 completed', async () => (await rollout('flows-1.0.0')).status === 'ROLLOUT_STATUS_COMPLETED', 60_000, 200).catch(withOutput);
    expect((await rollout('flows-1.0.0')).waves[0]?.gateways).toEqual([{ gatewayId: GATEWAY_ID, outcome: 'GATEWAY_OUTCOME_DONE', reason: '' }]);
    expect((await nodeRedState()).lastDeployment).toMatchObject({ result: 'deployed', flows: ['car3-door-alarm'] });
    const door = await swingingDoor(ports.bus, credentials.passwordOf(DEVICE));
    const [alarm] = await waitFor('an alarm from the deployed flow in the cloud', async () => (await alarms(901)).length > 0 && alarms(901), 30_000, 200).catch(withOutput);
    expect(alarm?.values).toEqual([{ name: 'a0', value: 901, unit: '' }, { name: 'a0Threshold', value: 800, unit: '' }]);

    // 2. The breaking bundle: accepted by Node-RED (done), then it blocks Node-RED twice and the gateway deploys the good flows again.
    await create('flows-2.0.0', breaking, good);
    const view = () => unaryCall<GatewayDesiredState>(cloud.fleet, 'GetGatewayDesiredState', { gatewayId: GATEWAY_ID }, VIEWER);
    const rolledBack = await waitFor(
      'the flows item rolled back in the cloud',
      async () => (await view()).applied?.items?.find((item) => item.kind === 'flows' && item.rolloutId === 'flows-2.0.0' && item.outcome === 'rolled_back'),
      90_000,
      250,
    ).catch(withOutput);
    const reason = 'the flows crashed Node-RED (2 crashes within 60000 ms of the deployment); the flows from before them run again';
    expect(rolledBack).toMatchObject({ targetVersion: '2.0.0', targetSha256: breaking, step: 'rollback', reason });

    // The rollout had completed on done; the late rollback pauses it for an operator (docs/decisions/0103).
    const second = await waitFor('rollout flows-2.0.0 paused', async () => {
      const state = await rollout('flows-2.0.0');
      return state.status === 'ROLLOUT_STATUS_PAUSED' && state;
    }, 10_000, 100);
    expect(second.pausedReason).toBe('wave 1: 1 of 1 gateways failed (100% > threshold 0%), after the wave had finished');
    expect(second.waves[0]?.gateways).toEqual([{ gatewayId: GATEWAY_ID, outcome: 'GATEWAY_OUTCOME_ROLLED_BACK', reason }]);
    // Each history line is "<ISO time> <event>".
    expect(second.history.map((line) => line.slice(line.indexOf(' ') + 1)).slice(-3)).toEqual(['completed', `gateway ${GATEWAY_ID} of wave 1 reported rolled_back after done: ${reason}`, `paused: ${second.pausedReason}`]);
    expect((await rollout('flows-1.0.0')).status).toBe('ROLLOUT_STATUS_COMPLETED');

    // The good flows run again: a reading marked after the rollback raises an alarm.
    expect(await nodeRedState()).toMatchObject({ state: 'running', lastDeployment: { result: 'rolled_back' } });
    door.high.value = 902;
    await waitFor('an alarm from the restored flow in the cloud', async () => (await alarms(902)).length > 0, 30_000, 200).catch(withOutput);

    // The cloud still wants 2.0.0, which the gateway will not deploy again; the operator rolls the rollout back.
    expect((await view()).desired?.flows?.artifact?.sha256).toBe(breaking);
    expect(await unaryCall(cloud.rollouts, 'RollbackRollout', { rolloutId: 'flows-2.0.0' }, OPERATOR)).toMatchObject({ status: 'ROLLOUT_STATUS_ROLLED_BACK' });
    // The rollout writes the gateway's layer after it answers.
    await waitFor('the good bundle desired again', async () => (await view()).desired?.flows?.artifact?.sha256 === good, 10_000, 100);
    const settled = await waitFor(
      'the good bundle reported done under the rolled-back rollout',
      async () => (await view()).applied?.items?.find((item) => item.kind === 'flows' && item.targetSha256 === good && item.outcome === 'done'),
      30_000,
      200,
    ).catch(withOutput);
    expect(settled).toMatchObject({ rolloutId: 'flows-2.0.0', targetVersion: '1.0.0' });
    expect((await nodeRedState()).lastDeployment).toMatchObject({ result: 'deployed', flows: ['car3-door-alarm'] });
    expect(await edge.stop('SIGTERM')).toBe(0);
  });
});
