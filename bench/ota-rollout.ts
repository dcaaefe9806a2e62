#!/usr/bin/env node
// A rollout to 500 simulated gateways in 4 waves (1% canary, 10%, 50%, all), two ways:
//  1. the rollout controller alone with its file repository, in its own process
//     (cloud/sim/rollout-fleet.ts): the controller's own cost;
//  2. the whole path: a cloud process (cloud/src/main.ts, LMDB) and 500 gateways on real sync
//     streams (cloud/sim/fleet-simulator.ts, in this process) that answer each desired state
//     with a done report after 100-1000 ms; the rollout is created and followed over gRPC.
// Time from start to done, and the cloud process's CPU time and RSS.
//   npm run bench:ota-rollout [-- --gateways 500]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { credentials, type Client } from '@grpc/grpc-js';
import { hashSecret } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { FleetSimulator } from '../cloud/sim/fleet-simulator.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { callWithKey } from './lib/grpc-call.js';
import { cpuSeconds, memoryMiB, stop } from './lib/proc.js';

const { values } = parseArgs({ options: { gateways: { type: 'string', default: process.env.BENCH_GATEWAYS ?? '500' } } });
const GATEWAYS = Number(values.gateways);
const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef';

function controllerAlone(): void {
  const simulator = new URL('../cloud/sim/rollout-fleet.ts', import.meta.url).pathname;
  const output = execFileSync(process.execPath, ['--conditions=development', '--import', 'tsx', simulator], { encoding: 'utf8', env: { ...process.env, SIM_GATEWAYS: String(GATEWAYS) } });
  const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { gateways: number; status: string; waves: number[]; elapsedMs: number; cpuMs: number; rssMiB: number; timersArmed: number };
  console.log(`1. controller alone: ${result.gateways} gateways, waves ${result.waves.join(' + ')}: ${result.status} in ${(result.elapsedMs / 1000).toFixed(2)} s`);
  console.log(`   controller process: ${result.cpuMs} ms CPU (${((result.cpuMs / result.elapsedMs) * 100).toFixed(1)}% of one core), RSS ${result.rssMiB} MiB, ${result.timersArmed} timers armed (one deadline per wave, no polling)`);
}

const call = <T>(client: Client, method: string, request: unknown): Promise<T> => callWithKey<T>(client, method, request, OPERATOR_KEY);

async function wholePath(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'coupler-bench-rollout-'));
  const apiKeys = JSON.stringify([{ name: 'bench-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]);
  const cloud = await startCloudProcess('lmdb', dataDir, { COUPLER_IDENTITY_API_KEYS: apiKeys });
  const address = `127.0.0.1:${cloud.port}`;
  const proto = loadCouplerProto();
  const fleet = new FleetSimulator({ addresses: [address], gateways: GATEWAYS, recordsPerSecond: 0, connectSpreadMs: 3_000, reportIntervalMs: 60_000, answerDesired: 'done', answerDelayMs: [100, 1000] });
  const artifacts = new proto.ota.ArtifactService(address, credentials.createInsecure());
  const rollouts = new proto.ota.RolloutService(address, credentials.createInsecure());
  try {
    const content = Buffer.from(':00000001FF\n# bench firmware 2.0.0\n');
    const sha256 = createHash('sha256').update(content).digest('hex');
    await call(artifacts, 'BeginUpload', { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '2.0.0', sizeBytes: content.length, sha256 });
    await call(artifacts, 'UploadChunk', { uploadId: sha256, offset: 0, data: content });
    await call(artifacts, 'CompleteUpload', { uploadId: sha256 });
    fleet.start();
    while (fleet.stats().streaming < GATEWAYS) await new Promise((resolve) => setTimeout(resolve, 100));
    const cpuBefore = cpuSeconds(cloud.child.pid ?? 0);
    const startedAt = Date.now();
    await call(rollouts, 'CreateRollout', { rolloutId: 'bench', artifactSha256: sha256, selector: { gatewayIds: fleet.gateways().map((g) => g.gatewayId) }, waveFractions: [0.01, 0.1, 0.5, 1], failureThreshold: 0.05, waveTimeoutSeconds: 60 });
    let state: { status: string; waves: { gateways: unknown[] }[] };
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await call(rollouts, 'GetRollout', { rolloutId: 'bench' });
    } while (state.status === 'ROLLOUT_STATUS_RUNNING');
    const elapsedMs = Date.now() - startedAt;
    const cpuMs = (cpuSeconds(cloud.child.pid ?? 0) - cpuBefore) * 1000;
    console.log(`2. cloud + ${GATEWAYS} gateways on sync streams, waves ${state.waves.map((w) => w.gateways.length).join(' + ')}: ${state.status.replace('ROLLOUT_STATUS_', '').toLowerCase()} in ${(elapsedMs / 1000).toFixed(2)} s`);
    console.log(`   cloud process: ${cpuMs.toFixed(0)} ms CPU during the rollout (${((cpuMs / elapsedMs) * 100).toFixed(1)}% of one core, 50 ms GetRollout polls by this benchmark included), RSS ${memoryMiB(cloud.child.pid ?? 0).rss.toFixed(0)} MiB`);
  } finally {
    fleet.close();
    artifacts.close();
    rollouts.close();
    await stop(cloud.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
controllerAlone();
await wholePath();
