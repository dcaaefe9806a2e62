#!/usr/bin/env node
// Node-RED isolation: the same MQTT load into the edge's buffer while its Node-RED child runs a
// normal flow (idle) and while a flow there busy-loops forever (busy), alternating over rounds.
// Issue 8: the ingest rate with the busy loop stays within 10% of the rate without it.
//   npm run bench:nodered [-- --rounds 3 --publishers 10 --messages 20000 --niceness 19]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, median, run, stop, waitForPort } from './lib/proc.js';

// Runs compiled, from bench/dist/.
const ROOT = new URL('../../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20000' },
    port: { type: 'string', default: '18831' },
    niceness: { type: 'string', default: '19' },
  },
});
const busPort = Number(values.port);
const nodeRedPort = busPort + 1;
const apiPort = busPort + 2;

type Case = 'idle' | 'busy';
interface RunResult {
  msgPerSecond: number;
  edgeCpuMicrosPerMsg: number;
  /** CPU the Node-RED children used during the load, in % of one core: ~100 while the loop spins. */
  nodeRedCpuPercent: number;
  nodeRedRestarts: number;
}

/** CPU seconds of the edge's child processes (Node-RED; a restarted one counts from its start). */
function childrenCpuSeconds(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.reduce((sum, child) => sum + cpuSeconds(Number(child)), 0);
}

function busyLoopTemplate(dir: string): string {
  const template = join(dir, 'busy-loop');
  mkdirSync(template);
  writeFileSync(join(template, 'template.json'), JSON.stringify({ name: 'busy-loop', description: 'Never yields.', parameters: {} }));
  // In a timer, where the Function node's timeout cannot stop it.
  writeFileSync(
    join(template, 'flow.json'),
    JSON.stringify([
      { id: 't1', type: 'tab', label: 'busy' },
      { id: 'i1', type: 'inject', z: 't1', once: true, onceDelay: 0.1, repeat: '', wires: [['f1']] },
      { id: 'f1', type: 'function', z: 't1', func: 'setTimeout(() => { for (;;) {} }, 0);\nreturn null;', outputs: 1, wires: [[]] },
    ]),
  );
  return template;
}

async function startEdge(dir: string, which: Case): Promise<ChildProcess> {
  const flows = [
    // Both cases: a real flow watching one publisher's telemetry.
    { name: 'load-0-alarm', template: 'threshold-alarm', parameters: { DEVICE_ID: 'load-0', SIGNAL: 'voltageL1', THRESHOLD: 1000 } },
    ...(which === 'busy' ? [{ name: 'busy', template: busyLoopTemplate(dir), parameters: {} }] : []),
  ];
  const config = {
    gateway: { id: 'bench' },
    dataDir: join(dir, 'data'),
    security: { mode: 'development' },
    bus: { port: busPort, allowAnonymous: true },
    api: { port: apiPort },
    sync: { cloudUrl: '127.0.0.1:9' },
    log: { level: 'warn' },
    nodeRed: { enabled: true, port: nodeRedPort, niceness: Number(values.niceness), templatesDir: join(ROOT, 'flows/templates'), flows, healthIntervalMs: 1000, maxMissedHealthChecks: 3, initialBackoffMs: 1000, maxBackoffMs: 2000 },
  };
  const file = join(dir, 'edge.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [join(ROOT, 'edge/dist/src/main.js'), '--config', file], { stdio: 'ignore' });
  await waitForPort(nodeRedPort, 60_000);
  // Let the busy loop start (and the first restart cycle begin) before the load.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return child;
}

async function restarts(dir: string): Promise<number> {
  const key = readFileSync(join(dir, 'data/secrets/api-admin-key'), 'utf8').trim();
  const text = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text();
  return [...text.matchAll(/^coupler_nodered_restarts_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function measure(which: Case): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-nodered-'));
  const edge = await startEdge(dir, which);
  try {
    const pid = edge.pid ?? 0;
    if (edge.exitCode !== null) throw new Error(`the edge exited with ${edge.exitCode} before the load`);
    const cpuBefore = cpuSeconds(pid);
    const childrenBefore = childrenCpuSeconds(pid);
    const out = await run(process.execPath, [join(ROOT, 'bench/dist/lib/mqtt-load.js'), '--url', `mqtt://127.0.0.1:${busPort}`, '--publishers', values.publishers, '--messages', values.messages]);
    const edgeCpu = cpuSeconds(pid) - cpuBefore;
    const nodeRedCpu = Math.max(0, childrenCpuSeconds(pid) - childrenBefore);
    const load = JSON.parse(out) as { messages: number; seconds: number };
    return {
      msgPerSecond: load.messages / load.seconds,
      edgeCpuMicrosPerMsg: (edgeCpu * 1e6) / load.messages,
      nodeRedCpuPercent: (100 * nodeRedCpu) / load.seconds,
      nodeRedRestarts: await restarts(dir),
    };
  } finally {
    await stop(edge);
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Record<Case, RunResult[]> = { idle: [], busy: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  results.idle.push(await measure('idle'));
  results.busy.push(await measure('busy'));
}
const summary = Object.fromEntries(
  (Object.keys(results) as Case[]).map((name) => {
    const runs = results[name];
    const pick = (key: keyof RunResult) => median(runs.map((r) => r[key]));
    return [name, { msgPerSecond: pick('msgPerSecond'), edgeCpuMicrosPerMsg: pick('edgeCpuMicrosPerMsg'), nodeRedCpuPercent: pick('nodeRedCpuPercent'), nodeRedRestarts: pick('nodeRedRestarts') }];
  }),
) as Record<Case, RunResult>;
console.log(`Node-RED isolation (niceness ${values.niceness}), QoS 1, ${values.publishers} publishers x ${values.messages} messages, ${values.rounds} rounds (median), ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.table(summary);
console.log(JSON.stringify({ busyToIdleMsgPerSecondRatio: summary.busy.msgPerSecond / summary.idle.msgPerSecond }));
