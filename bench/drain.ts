#!/usr/bin/env node
// Drain: a backlog in the gateway's LMDB buffer streamed to the cloud, which de-duplicates and
// stores it before acknowledging, against a bare gRPC stream of the same batches (same batch
// size, window, gzip and batch encoding) to a server that decodes them and stores nothing. Each
// round runs both encodings on both paths: columns (the gateway's default once the cloud lists
// them, decision 0010) and plain records (sync.columnarBatches: false).
//   npm run bench:drain [-- --records 500000 --rounds 3]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, run, stop, waitForPort } from './lib/proc.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values } = parseArgs({ options: { records: { type: 'string', default: '500000' }, rounds: { type: 'string', default: '3' }, batch: { type: 'string', default: '2000' }, 'cpu-prof-dir': { type: 'string' } } });
// --cpu-prof-dir DIR: every process of a round writes a V8 CPU profile there (edge, cloud, bare peer).
const profileArgs = values['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']] : [];
const RECORDS = Number(values.records);
const node = (script: string) => join(ROOT, script);

function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...profileArgs, node(script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

async function cloudMetric(httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? 0);
}

const storedInCloud = (httpPort: number): Promise<number> => cloudMetric(httpPort, 'coupler_cloud_records_stored_total');

/** Records a second, and the cloud process's CPU (user + system) per record from the edge's start to the last record stored. */
async function couplerRound(port: number, columnarBatches: boolean): Promise<{ rate: number; cloudCpuUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-drain-'));
  try {
    await run(process.execPath, [node('edge/dist/sim/backlog-fill.js'), '--data-dir', join(dir, 'edge'), '--gateway-id', 'drain', '--records', String(RECORDS)]);
    const httpPort = port + 1;
    const cloud = startProcess('cloud/dist/src/main.js', [], { COUPLER_DATA_DIR: join(dir, 'cloud'), COUPLER_GRPC_PORT: String(port), COUPLER_GRPC_TLS: 'insecure', COUPLER_HTTP_PORT: String(httpPort), COUPLER_LOG_LEVEL: 'warn' });
    try {
      await waitForPort(port);
      await waitForPort(httpPort);
      writeFileSync(join(dir, 'edge.yaml'), `gateway: { id: drain }\ndataDir: ${join(dir, 'edge')}\nsecurity: { mode: development }\nbus: { port: 0 }\napi: { port: 0 }\nbuffer: { quotaBytes: 17179869184 }\nsync: { cloudUrl: "127.0.0.1:${port}", batchMaxRecords: ${values.batch}, columnarBatches: ${columnarBatches}, tls: insecure }\nlog: { level: warn }\n`);
      const cpuBefore = await cloudMetric(httpPort, 'coupler_cloud_process_cpu_seconds_total');
      const startedAt = performance.now();
      const edge = startProcess('edge/dist/src/main.js', ['--config', join(dir, 'edge.yaml')]);
      try {
        while ((await storedInCloud(httpPort)) < RECORDS) {
          if (edge.child.exitCode !== null) throw new Error(`the edge exited with ${edge.child.exitCode}: ${edge.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const rate = RECORDS / ((performance.now() - startedAt) / 1000);
        const cloudCpuUs = ((await cloudMetric(httpPort, 'coupler_cloud_process_cpu_seconds_total')) - cpuBefore) * 1e6 / RECORDS;
        return { rate, cloudCpuUs };
      } finally {
        await stop(edge.child);
      }
    } finally {
      await stop(cloud.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bareRound(encoding: 'columns' | 'records'): Promise<number> {
  const server = startProcess('bench/dist/lib/bare-sync-server.js', []);
  try {
    while (!server.output().includes('listening')) await new Promise((resolve) => setTimeout(resolve, 20));
    const port = /listening (\d+)/.exec(server.output())?.[1] ?? '0';
    const out = await run(process.execPath, [...profileArgs, node('bench/dist/lib/bare-sync-client.js'), '--target', `127.0.0.1:${port}`, '--records', String(RECORDS), '--batch', values.batch, '--encoding', encoding]);
    const result = JSON.parse(out) as { records: number; seconds: number };
    return result.records / result.seconds;
  } finally {
    await stop(server.child);
  }
}

const bareColumns: number[] = [];
const bareRecords: number[] = [];
const columns: number[] = [];
const records: number[] = [];
const cloudCpu: { columns: number[]; records: number[] } = { columns: [], records: [] };
const loads: string[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  loads.push(loadavg()[0]?.toFixed(1) ?? '?');
  bareColumns.push(await bareRound('columns'));
  const byColumns = await couplerRound(18850, true);
  columns.push(byColumns.rate);
  cloudCpu.columns.push(byColumns.cloudCpuUs);
  bareRecords.push(await bareRound('records'));
  const byRecords = await couplerRound(18850, false);
  records.push(byRecords.rate);
  cloudCpu.records.push(byRecords.cloudCpuUs);
}
console.log(`drain of ${RECORDS} records, batches of ${values.batch}, window 8, gzip; ${values.rounds} rounds (median); ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average at each round ${loads.join(', ')}`);
console.table({
  bareColumns: { recordsPerSecond: Math.round(median(bareColumns)) },
  couplerColumns: { recordsPerSecond: Math.round(median(columns)), cloudCpuUsPerRecord: +median(cloudCpu.columns).toFixed(2) },
  bareRecords: { recordsPerSecond: Math.round(median(bareRecords)) },
  couplerRecords: { recordsPerSecond: Math.round(median(records)), cloudCpuUsPerRecord: +median(cloudCpu.records).toFixed(2) },
});
console.log(JSON.stringify({ ratioColumns: median(columns) / median(bareColumns), ratioRecords: median(records) / median(bareRecords), rounds: { bareColumns, columns, bareRecords, records }, cloudCpuUsPerRecord: cloudCpu }));
