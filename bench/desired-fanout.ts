#!/usr/bin/env node
// Desired-state fan-out (issue 7): N simulated gateways (cloud/sim/fleet-simulator.ts, in this
// process) hold real sync streams to a cloud process (cloud/src/main.ts, insecure, LMDB or
// PostgreSQL). Each round, an operator call (FleetService.SetDesiredState on the fleet layer,
// alternating between two firmware artifacts) changes every gateway's composed state; the time
// from the call until each gateway has received its new state is measured. Goal: p99 <= 2 s.
//   npm run bench:desired [-- --gateways 1000 --rounds 5 --stores lmdb,postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { credentials, type Client } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { hashSecret } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { FleetSimulator } from '../cloud/sim/fleet-simulator.js';
import { createDatabase, startPostgres } from '../cloud/test/helpers/postgres.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { callWithKey } from './lib/grpc-call.js';
import { cpuSeconds, memoryMiB, stop } from './lib/proc.js';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    stores: { type: 'string', default: 'lmdb,postgres' },
  },
});
const GATEWAYS = Number(values.gateways);
const ROUNDS = Number(values.rounds);
const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef';
const proto = loadCouplerProto();

const call = <T>(client: Client, method: string, request: unknown): Promise<T> => callWithKey<T>(client, method, request, OPERATOR_KEY);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function upload(artifacts: Client, version: string): Promise<string> {
  const content = Buffer.from(`:00000001FF\n# bench firmware ${version}\n`);
  const sha256 = createHash('sha256').update(content).digest('hex');
  await call(artifacts, 'BeginUpload', { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version, sizeBytes: content.length, sha256 });
  await call(artifacts, 'UploadChunk', { uploadId: sha256, offset: 0, data: content });
  await call(artifacts, 'CompleteUpload', { uploadId: sha256 });
  return sha256;
}

async function measure(store: string, env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'coupler-bench-desired-'));
  const apiKeys = JSON.stringify([{ name: 'bench-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]);
  const cloud = await startCloudProcess(store, dataDir, { COUPLER_IDENTITY_API_KEYS: apiKeys, ...env });
  const address = `127.0.0.1:${cloud.port}`;
  const fleet = new FleetSimulator({ addresses: [address], gateways: GATEWAYS, recordsPerSecond: 0, connectSpreadMs: 5_000, reportIntervalMs: 60_000 });
  const artifacts = new proto.ota.ArtifactService(address, credentials.createInsecure());
  const fleetApi = new proto.fleet.FleetService(address, credentials.createInsecure());
  try {
    const versions = [await upload(artifacts, '1.0.0'), await upload(artifacts, '1.0.1')];
    fleet.start();
    const connectDeadline = Date.now() + 60_000;
    while (fleet.stats().streaming < GATEWAYS || fleet.gateways().some((g) => g.desired === undefined)) {
      if (Date.now() > connectDeadline) throw new Error(`only ${fleet.stats().streaming} of ${GATEWAYS} gateways connected within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const rounds: { p50: number; p99: number; max: number; callMs: number }[] = [];
    const cpuBefore = cpuSeconds(cloud.child.pid ?? 0);
    for (let round = 0; round < ROUNDS; round++) {
      const sha256 = versions[round % 2] ?? '';
      const startedAt = Date.now();
      await call(fleetApi, 'SetDesiredState', { layer: { scope: 'fleet', firmwareSha256: { '*': sha256 } } });
      const callMs = Date.now() - startedAt;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const got = fleet.gateways().filter((g) => g.desired?.artifacts[0] === sha256 && g.desired.receivedAtMs >= startedAt);
        if (got.length === GATEWAYS) {
          const delays = got.map((g) => (g.desired?.receivedAtMs ?? 0) - startedAt).sort((a, b) => a - b);
          rounds.push({ p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays[delays.length - 1] ?? NaN, callMs });
          break;
        }
        if (Date.now() > deadline) throw new Error(`round ${round + 1}: ${got.length} of ${GATEWAYS} gateways had the change after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const cpu = cpuSeconds(cloud.child.pid ?? 0) - cpuBefore;
    return { store, rounds, cloudCpuSeconds: cpu, cloudRss: memoryMiB(cloud.child.pid ?? 0).rss };
  } finally {
    fleet.close();
    artifacts.close();
    fleetApi.close();
    await stop(cloud.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (const store of values.stores.split(',')) {
  if (store === 'postgres') {
    const pg = await startPostgres();
    try {
      const url = await createDatabase(pg.url, 'bench_desired');
      results.push(await measure('postgres', { COUPLER_STORE_POSTGRES_URL: url }));
    } finally {
      await pg.close();
    }
  } else {
    results.push(await measure(store, {}));
  }
}
console.log(`desired-state fan-out: ${GATEWAYS} gateways connected, ${ROUNDS} changes of the fleet layer; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const r of results) {
  console.log(`\n${r.store}: cloud CPU ${r.cloudCpuSeconds.toFixed(2)} s for ${ROUNDS} changes, RSS ${r.cloudRss.toFixed(0)} MiB`);
  console.log('round | call ms | p50 ms | p99 ms | max ms');
  r.rounds.forEach((x, i) => { console.log(`${i + 1} | ${x.callMs} | ${x.p50} | ${x.p99} | ${x.max}`); });
  const p99s = r.rounds.map((x) => x.p99).sort((a, b) => a - b);
  console.log(`median p99: ${percentile(p99s, 50)} ms (goal <= 2000)`);
}
