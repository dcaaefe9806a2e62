#!/usr/bin/env node
// Drain: a backlog in the gateway's LMDB buffer streamed to the cloud, which de-duplicates and
// stores it before acknowledging, against a bare gRPC stream of the same batches (same batch
// size, window, gzip and batch encoding) to a server that decodes them and stores nothing. Each
// round runs both encodings on both paths: columns (the gateway's default once the cloud lists
// them, decision 0010) and plain records (sync.columnarBatches: false).
//   npm run bench:drain [-- --records 500000 --rounds 3]
// --baseline-root DIR: each round also drains with the edge built in DIR (another worktree, say
// of main), against this tree's cloud: the edge's change side by side in the same minutes.
// --baseline-cloud-root DIR: the same for the cloud, DIR's cloud against this tree's edge.
// Every Coupler round also reports CPU time per record, the edge's with its start-up (timed as
// the rate is), the cloud's from the edge's start, and the edge's CPU time until the cloud stored
// its first record (its start-up).
// Two rates per path: from the start (the edge process's spawn; the bare client's stream start,
// after its module loading) and streaming, from the first batch stored (acknowledged, for the
// bare stream) to the last, which leaves out the edge's start-up and both first round trips: a
// gateway whose link comes back after days offline is already running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, freePort, median, run, stop, waitForPort } from './lib/proc.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values } = parseArgs({ options: { records: { type: 'string', default: '500000' }, rounds: { type: 'string', default: '3' }, batch: { type: 'string', default: '2000' }, 'cpu-prof-dir': { type: 'string' }, 'baseline-root': { type: 'string' }, 'baseline-cloud-root': { type: 'string' }, encodings: { type: 'string', default: 'columns,records' }, 'cloud-node-args': { type: 'string', default: '' }, 'cloud-log-dir': { type: 'string' } } });
// --cpu-prof-dir DIR: every process of a round writes a V8 CPU profile there (edge, cloud, bare peer).
const profileArgs = values['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']] : [];
const RECORDS = Number(values.records);
// --encodings columns|records|columns,records: which encodings each round drains (both by default).
const encodings = new Set(values.encodings.split(','));
for (const encoding of encodings) if (encoding !== 'columns' && encoding !== 'records') throw new Error(`--encodings: each must be columns or records (got ${JSON.stringify(encoding)})`);
// --cloud-node-args='--trace-gc ...' (with =, as the value starts with a dash): node options for the cloud process only.
const cloudNodeArgs = values['cloud-node-args'].split(' ').filter((arg) => arg.length > 0);
// --cloud-log-dir DIR: each round's cloud output (warn logs, and what --cloud-node-args prints) in a file there.
const cloudLogDir = values['cloud-log-dir'];
let cloudRuns = 0;
const node = (script: string, root = ROOT) => join(root, script);

/** The edge as its image runs it (the one-file bundle, decision 0019), or main.js in a build without one. */
const edgeScript = (root: string): string => (existsSync(node('edge/dist/src/main.bundle.js', root)) ? 'edge/dist/src/main.bundle.js' : 'edge/dist/src/main.js');

function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv = {}, root = ROOT, nodeArgs: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...profileArgs, ...nodeArgs, node(script, root), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

async function storedInCloud(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(/^coupler_cloud_records_stored_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** A drain's rate from the start, and while streaming: from the first batch stored to the last. */
interface Rates {
  recordsPerSecond: number;
  streamingPerSecond: number;
}

interface CouplerRound extends Rates {
  /** CPU time per record in µs: the edge's whole run (start-up included, as the rate), the cloud's from the edge's start. */
  edgeMicros: number;
  cloudMicros: number;
  /** The edge's CPU time until the cloud had stored its first record, in seconds. */
  edgeStartSeconds: number;
}

async function couplerRound(columnarBatches: boolean, edgeRoot = ROOT, cloudRoot = ROOT): Promise<CouplerRound> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-drain-'));
  try {
    await run(process.execPath, [node('edge/dist/sim/backlog-fill.js'), '--data-dir', join(dir, 'edge'), '--gateway-id', 'drain', '--records', String(RECORDS)]);
    // Free ports, not fixed ones: another engineer's drain bench may run at the same time.
    const port = await freePort();
    const httpPort = await freePort();
    const cloud = startProcess('cloud/dist/src/main.js', [], { COUPLER_DATA_DIR: join(dir, 'cloud'), COUPLER_GRPC_PORT: String(port), COUPLER_GRPC_TLS: 'insecure', COUPLER_HTTP_PORT: String(httpPort), COUPLER_LOG_LEVEL: 'warn' }, cloudRoot, cloudNodeArgs);
    try {
      await waitForPort(port);
      await waitForPort(httpPort);
      writeFileSync(join(dir, 'edge.yaml'), `gateway: { id: drain }\ndataDir: ${join(dir, 'edge')}\nsecurity: { mode: development }\nbus: { port: 0 }\napi: { port: 0 }\nbuffer: { quotaBytes: 17179869184 }\nsync: { cloudUrl: "127.0.0.1:${port}", batchMaxRecords: ${values.batch}, columnarBatches: ${columnarBatches}, tls: insecure }\nlog: { level: warn }\n`);
      const cloudPid = cloud.child.pid ?? 0;
      const cloudCpuBefore = cpuSeconds(cloudPid);
      const startedAt = performance.now();
      const edge = startProcess(edgeScript(edgeRoot), ['--config', join(dir, 'edge.yaml')], {}, edgeRoot);
      const edgePid = edge.child.pid ?? 0;
      let edgeStartSeconds: number | undefined;
      let firstStored: { at: number; stored: number } | undefined;
      try {
        for (;;) {
          const stored = await storedInCloud(httpPort);
          if (stored > 0) {
            edgeStartSeconds ??= cpuSeconds(edgePid);
            firstStored ??= { at: performance.now(), stored };
          }
          if (stored >= RECORDS) break;
          if (edge.child.exitCode !== null) throw new Error(`the edge exited with ${edge.child.exitCode}: ${edge.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const endedAt = performance.now();
        const recordsPerSecond = RECORDS / ((endedAt - startedAt) / 1000);
        const streamingPerSecond = firstStored ? (RECORDS - firstStored.stored) / ((endedAt - firstStored.at) / 1000) : NaN;
        const micros = (seconds: number) => (seconds * 1e6) / RECORDS;
        return { recordsPerSecond, streamingPerSecond, edgeMicros: micros(cpuSeconds(edgePid)), cloudMicros: micros(cpuSeconds(cloudPid) - cloudCpuBefore), edgeStartSeconds: edgeStartSeconds ?? NaN };
      } finally {
        await stop(edge.child);
      }
    } finally {
      await stop(cloud.child);
      if (cloudLogDir) writeFileSync(join(cloudLogDir, `cloud-${cloudRoot === ROOT ? '' : 'baseline-'}${columnarBatches ? 'columns' : 'records'}-${++cloudRuns}.log`), cloud.output());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bareRound(encoding: 'columns' | 'records'): Promise<Rates> {
  const server = startProcess('bench/dist/lib/bare-sync-server.js', []);
  try {
    while (!server.output().includes('listening')) await new Promise((resolve) => setTimeout(resolve, 20));
    const port = /listening (\d+)/.exec(server.output())?.[1] ?? '0';
    const out = await run(process.execPath, [...profileArgs, node('bench/dist/lib/bare-sync-client.js'), '--target', `127.0.0.1:${port}`, '--records', String(RECORDS), '--batch', values.batch, '--encoding', encoding]);
    const result = JSON.parse(out) as { records: number; seconds: number; streaming?: { records: number; seconds: number } };
    return { recordsPerSecond: result.records / result.seconds, streamingPerSecond: result.streaming ? result.streaming.records / result.streaming.seconds : NaN };
  } finally {
    await stop(server.child);
  }
}

// --baseline-cloud-root DIR: the same with the cloud built in DIR, against this tree's edge.
const baselineCloudRoot = values['baseline-cloud-root'];
const baselineRoot = values['baseline-root'] ?? baselineCloudRoot;
const baselineEdgeRoot = values['baseline-root'] ?? ROOT;
const bareColumns: Rates[] = [];
const bareRecords: Rates[] = [];
const coupler: Record<string, CouplerRound[]> = { columns: [], records: [], baselineColumns: [], baselineRecords: [] };
const loads: string[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  loads.push(loadavg()[0]?.toFixed(1) ?? '?');
  if (encodings.has('columns')) {
    bareColumns.push(await bareRound('columns'));
    if (baselineRoot) coupler.baselineColumns?.push(await couplerRound(true, baselineEdgeRoot, baselineCloudRoot));
    coupler.columns?.push(await couplerRound(true));
  }
  if (encodings.has('records')) {
    bareRecords.push(await bareRound('records'));
    if (baselineRoot) coupler.baselineRecords?.push(await couplerRound(false, baselineEdgeRoot, baselineCloudRoot));
    coupler.records?.push(await couplerRound(false));
  }
}
const medianOf = <Round extends Rates>(rounds: readonly Round[] | undefined, key: keyof Round) => median((rounds ?? []).map((r) => Number(r[key])));
const rateColumns = (rounds: readonly Rates[] | undefined) => ({
  recordsPerSecond: Math.round(medianOf(rounds, 'recordsPerSecond')),
  streamingPerSecond: Math.round(medianOf(rounds, 'streamingPerSecond')),
});
const couplerRow = (rounds: CouplerRound[] | undefined) => ({
  ...rateColumns(rounds),
  edgeCpuMicrosPerRecord: Number(medianOf(rounds, 'edgeMicros').toFixed(2)),
  cloudCpuMicrosPerRecord: Number(medianOf(rounds, 'cloudMicros').toFixed(2)),
  edgeStartCpuSeconds: Number(medianOf(rounds, 'edgeStartSeconds').toFixed(2)),
});
/** Coupler's rate over the bare stream's, from the start (the edge's start-up included) and while streaming. */
const ratios = (rounds: CouplerRound[] | undefined, bare: readonly Rates[]) => ({
  fromStart: medianOf(rounds, 'recordsPerSecond') / medianOf(bare, 'recordsPerSecond'),
  streaming: medianOf(rounds, 'streamingPerSecond') / medianOf(bare, 'streamingPerSecond'),
});
console.log(`drain of ${RECORDS} records, batches of ${values.batch}, window 8, gzip; ${values.rounds} rounds (median); ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average at each round ${loads.join(', ')}${baselineRoot ? `; baseline ${values['baseline-root'] ? 'edge' : 'cloud'} from ${baselineRoot}` : ''}`);
console.log('recordsPerSecond: from the edge\'s start (the bare client: its stream\'s start); streamingPerSecond: from the first batch stored to the last');
console.table({
  bareColumns: rateColumns(bareColumns),
  ...(baselineRoot ? { baselineColumns: couplerRow(coupler.baselineColumns) } : {}),
  couplerColumns: couplerRow(coupler.columns),
  bareRecords: rateColumns(bareRecords),
  ...(baselineRoot ? { baselineRecords: couplerRow(coupler.baselineRecords) } : {}),
  couplerRecords: couplerRow(coupler.records),
});
const rounded = (rounds: readonly Rates[] | undefined) => (rounds ?? []).map((r) => [Math.round(r.recordsPerSecond), Math.round(r.streamingPerSecond)]);
console.log(
  JSON.stringify({
    ratioColumns: ratios(coupler.columns, bareColumns),
    ratioRecords: ratios(coupler.records, bareRecords),
    ...(baselineRoot ? { baselineRatioColumns: ratios(coupler.baselineColumns, bareColumns), baselineRatioRecords: ratios(coupler.baselineRecords, bareRecords) } : {}),
    rounds: Object.fromEntries(Object.entries({ bareColumns, bareRecords, ...coupler }).filter(([, rounds]) => rounds.length > 0).map(([path, rounds]) => [path, rounded(rounds)])),
    cpu: Object.fromEntries(Object.entries(coupler).filter(([, rounds]) => rounds.length > 0).map(([path, rounds]) => [path, rounds.map(({ edgeMicros, cloudMicros, edgeStartSeconds }) => ({ edgeMicros: Number(edgeMicros.toFixed(2)), cloudMicros: Number(cloudMicros.toFixed(2)), edgeStartSeconds }))])),
  }),
);
