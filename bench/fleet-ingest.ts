#!/usr/bin/env node
// Fleet ingest: N simulated gateways (cloud/sim/fleet.ts, its own process) stream SDM630-like
// readings over real gRPC sync streams to a cloud process (cloud/src/main.ts, insecure mode),
// once with the embedded LMDB store and once with PostgreSQL (a private cluster), in one run.
// Per store: offered rate (records produced by the simulator) against achieved rate (records the
// cloud acknowledged), batch round trips, and the cloud process's own CPU (utime+stime from
// /proc) and RSS, sampled over the measured window after a warm-up.
//   npm run bench:fleet [-- --gateways 1000 --rate 50 --seconds 20 --warmup 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startCloudProcess as startCloud } from './lib/cloud-process.js';
import { cpuSeconds, memoryMiB, stop } from './lib/proc.js';
import { createDatabase, sql, startPostgres } from '../cloud/test/helpers/postgres.js';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    'batch-interval-ms': { type: 'string', default: '1000' },
    stores: { type: 'string', default: 'lmdb,postgres' },
  },
});
const GATEWAYS = Number(values.gateways);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const TSX = ['--conditions=development', '--import', 'tsx'];
const ROOT = new URL('../', import.meta.url).pathname;

interface Sample {
  t: number;
  produced: number;
  acknowledged: number;
  backlog: number;
  streaming: number;
  reconnects: number;
}

interface Summary extends Sample {
  drained: boolean;
  batchRoundTripMs: { p50: number; p99: number; max: number };
  cpuSeconds: number;
}

/** Busy and total jiffies of the whole machine (/proc/stat), to show how loaded it was. */
function machineJiffies(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU seconds so far of each PostgreSQL server process (backends and background workers). */
async function postgresCpu(url: string | undefined): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (url === undefined) return cpu;
  for (const { pid } of await sql<{ pid: number }>(url, 'SELECT pid FROM pg_stat_activity')) {
    try {
      cpu.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the query and the read.
    }
  }
  return cpu;
}

/** CPU used between two readings by the processes present in both. */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? seconds);
  return total;
}

async function measure(store: string, env: Record<string, string>) {
  const pgUrl = env['COUPLER_STORE_POSTGRES_URL'];
  const dataDir = mkdtempSync(join(tmpdir(), 'coupler-bench-fleet-'));
  const cloud = await startCloud(store, dataDir, env);
  const pid = cloud.child.pid ?? 0;
  const sim = spawn(
    process.execPath,
    [...TSX, 'cloud/sim/fleet.ts', '--target', `127.0.0.1:${cloud.port}`, '--gateways', String(GATEWAYS), '--rate', String(RATE), '--seconds', String(WARMUP + SECONDS), '--batch-interval-ms', values['batch-interval-ms']],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const samples: Sample[] = [];
  let summary: Summary | undefined;
  let window: { cpu: number; simCpu: number; pgCpu: Map<number, number>; at: number; machine: { busy: number; total: number }; sample: Sample } | undefined;
  let end: typeof window;
  const rss: number[] = [];
  for await (const line of createInterface({ input: sim.stdout })) {
    const parsed = JSON.parse(line) as Sample | { summary: Summary };
    if ('summary' in parsed) {
      summary = parsed.summary;
      continue;
    }
    samples.push(parsed);
    const now = { cpu: cpuSeconds(pid), simCpu: cpuSeconds(sim.pid ?? 0), pgCpu: !window || (parsed.t >= WARMUP + SECONDS && !end) ? await postgresCpu(pgUrl) : new Map<number, number>(), at: performance.now(), machine: machineJiffies(), sample: parsed };
    if (!window && parsed.t >= WARMUP) window = now;
    else if (window && !end) rss.push(memoryMiB(pid).rss);
    if (window && !end && parsed.t >= WARMUP + SECONDS) end = now;
  }
  const memory = memoryMiB(pid);
  await stop(cloud.child);
  rmSync(dataDir, { recursive: true, force: true });
  if (!window || !end || !summary) throw new Error(`the simulator ended early (${samples.length} samples)`);
  const seconds = (end.at - window.at) / 1000;
  return {
    store,
    offeredPerSecond: (end.sample.produced - window.sample.produced) / seconds,
    acknowledgedPerSecond: (end.sample.acknowledged - window.sample.acknowledged) / seconds,
    backlogAtStart: window.sample.backlog,
    backlogAtEnd: end.sample.backlog,
    streaming: end.sample.streaming,
    reconnects: summary.reconnects,
    drained: summary.drained,
    cloudCpuPercentOfCore: ((end.cpu - window.cpu) / seconds) * 100,
    cloudCpuMicrosPerRecord: ((end.cpu - window.cpu) * 1e6) / Math.max(1, end.sample.acknowledged - window.sample.acknowledged),
    cloudRssMiB: Math.max(...rss),
    cloudRssPeakMiB: memory.peak,
    postgresServerCpuPercentOfCore: (cpuBetween(window.pgCpu, end.pgCpu) / seconds) * 100,
    simulatorCpuPercentOfCore: ((end.simCpu - window.simCpu) / seconds) * 100,
    machineBusyPercent: ((end.machine.busy - window.machine.busy) / (end.machine.total - window.machine.total)) * 100,
    batchRoundTripMs: summary.batchRoundTripMs,
  };
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${GATEWAYS} gateways x ${RATE} records/s (offered ${GATEWAYS * RATE}/s), batches every ${values['batch-interval-ms']} ms, window 8 of up to 500 records, ack timeout 30 s, gzip; warm-up ${WARMUP} s, measured ${SECONDS} s`);
const results = [];
const postgres = values.stores.includes('postgres') ? await startPostgres() : undefined;
try {
  for (const store of values.stores.split(',')) {
    const env: Record<string, string> = postgres ? { COUPLER_STORE_POSTGRES_URL: await createDatabase(postgres.url, 'coupler_bench') } : {};
    const result = await measure(store, store === 'postgres' ? env : {});
    results.push(result);
    console.log(JSON.stringify(result));
  }
} finally {
  await postgres?.close();
}
const [lmdb, pg] = [results.find((r) => r.store === 'lmdb'), results.find((r) => r.store === 'postgres')];
for (const r of results) {
  console.log(
    `${r.store.padEnd(8)} offered ${r.offeredPerSecond.toFixed(0)}/s, acknowledged ${r.acknowledgedPerSecond.toFixed(0)}/s, ${r.streaming} streaming, backlog ${r.backlogAtStart} -> ${r.backlogAtEnd}; ` +
      `cloud CPU ${r.cloudCpuPercentOfCore.toFixed(0)}% of a core (${r.cloudCpuMicrosPerRecord.toFixed(1)} µs/record), RSS ${r.cloudRssMiB.toFixed(0)} MiB (peak ${r.cloudRssPeakMiB.toFixed(0)}); ` +
      `batch round trip p50 ${r.batchRoundTripMs.p50.toFixed(0)} ms p99 ${r.batchRoundTripMs.p99.toFixed(0)} ms; simulator CPU ${r.simulatorCpuPercentOfCore.toFixed(0)}%; PostgreSQL server CPU ${r.postgresServerCpuPercentOfCore.toFixed(0)}%; machine busy ${r.machineBusyPercent.toFixed(0)}%`,
  );
}
if (lmdb && pg) console.log(`postgres / lmdb acknowledged rate: ${(pg.acknowledgedPerSecond / lmdb.acknowledgedPerSecond).toFixed(2)}`);
