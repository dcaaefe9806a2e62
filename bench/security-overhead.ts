#!/usr/bin/env node
// The price of the broker's security (issue 9): durable QoS 1 ingest with every check on
// (scrypt users, topic ACLs, the MQTT 3.1.1 packet guard, schema validation) against the same
// ingest with them off, side by side in one run, modes interleaved over several rounds.
// Each mode runs in a fresh broker process (bench/lib/ingest-broker.ts) with a fresh LMDB buffer;
// the load is bench/lib/mqtt-load.ts, in a process of its own. Every message must be in the
// buffer at the end, or the run fails.
//   npm run bench:security [-- --rounds 3 --publishers 10 --messages 20000]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { cpuSeconds, median, memoryMiB, stop } from './lib/proc.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    publishers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '20000' },
    window: { type: 'string', default: '100' },
    port: { type: 'string', default: '18840' },
    only: { type: 'string' },
  },
});
const MODES = ['checked', 'anonymous', 'unchecked'] as const;
type Mode = (typeof MODES)[number];
const TSX = ['--conditions=development', '--import', 'tsx'];
const BROKER = new URL('lib/ingest-broker.ts', import.meta.url).pathname;
const LOAD = new URL('lib/mqtt-load.ts', import.meta.url).pathname;
const PASSWORD = 'bench-password-0123456789';
const START_TIMEOUT_MS = 30_000;

interface RunResult {
  msgPerSecond: number;
  brokerCpuMicrosPerMsg: number;
  brokerCpuPercentOfCore: number;
  rssPeakMiB: number;
}

/** Starts the broker process and resolves once it printed "ready"; its later lines go to `lines`. */
async function startBroker(mode: Mode, dir: string, lines: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...TSX, BROKER, '--mode', mode, '--port', values.port, '--data', dir, '--users', values.publishers, '--password', PASSWORD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`the ${mode} broker did not get ready in ${START_TIMEOUT_MS} ms`)); }, START_TIMEOUT_MS);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the ${mode} broker exited with ${String(code)} before it was ready`)); });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timer);
        resolve();
      } else lines.push(line);
    });
  });
  try {
    await ready;
  } catch (err) {
    await stop(child);
    throw err;
  }
  return child;
}

/** Runs the load generator to its end; `onConnected` when it reports every publisher connected. */
function runLoad(args: string[], onConnected: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line === 'connected') onConnected();
      else process.stderr.write(`${line}\n`);
    });
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`the load generator exited with ${String(code)}`));
    });
  });
}

async function measure(mode: Mode): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-security-'));
  const lines: string[] = [];
  const broker = await startBroker(mode, dir, lines);
  let out: string;
  let brokerCpu: number;
  let rssPeakMiB: number;
  try {
    const pid = broker.pid ?? 0;
    const credentials = mode === 'checked' ? ['--password', PASSWORD] : [];
    // Broker CPU from the moment every publisher is connected: the per-connection scrypt check is
    // paid once per device, not per message, and would otherwise be spread over this short run.
    let cpuBefore = cpuSeconds(pid);
    out = await runLoad([...TSX, LOAD, '--url', `mqtt://127.0.0.1:${values.port}`, '--publishers', values.publishers, '--messages', values.messages, '--window', values.window, '--signal-connected', ...credentials], () => {
      cpuBefore = cpuSeconds(pid);
    });
    brokerCpu = cpuSeconds(pid) - cpuBefore;
    rssPeakMiB = memoryMiB(pid).peak;
  } finally {
    await stop(broker);
    rmSync(dir, { recursive: true, force: true });
  }
  const load = JSON.parse(out) as { messages: number; seconds: number };
  const stored = JSON.parse(lines.at(-1) ?? '{}') as { records?: number };
  if (stored.records !== load.messages) throw new Error(`${mode}: ${load.messages} messages acknowledged but ${String(stored.records)} in the buffer`);
  return {
    msgPerSecond: load.messages / load.seconds,
    brokerCpuMicrosPerMsg: (brokerCpu * 1e6) / load.messages,
    brokerCpuPercentOfCore: (100 * brokerCpu) / load.seconds,
    rssPeakMiB,
  };
}

const results: Record<Mode, RunResult[]> = { checked: [], anonymous: [], unchecked: [] };
const loadAtStart = loadavg();
for (let round = 0; round < Number(values.rounds); round++) {
  // Rotate the order each round, so no mode always runs first on a cold machine.
  for (let i = 0; i < MODES.length; i++) {
    const mode = MODES[(round + i) % MODES.length] ?? 'checked';
    if (values.only !== undefined && !values.only.split(',').includes(mode)) continue;
    const result = await measure(mode);
    results[mode].push(result);
    console.error(`round ${round + 1} ${mode}: ${Math.round(result.msgPerSecond)} msg/s, ${result.brokerCpuMicrosPerMsg.toFixed(1)} µs/msg`);
  }
}
interface Summary {
  msgPerSecond: number;
  msgPerSecondRange: string;
  brokerCpuMicrosPerMsg: number;
  brokerCpuPercentOfCore: number;
  rssPeakMiB: number;
}
function summarise(runs: readonly RunResult[]): Summary {
  const pick = (key: keyof RunResult) => median(runs.map((r) => r[key]));
  const rates = runs.map((r) => r.msgPerSecond);
  return {
    msgPerSecond: Math.round(pick('msgPerSecond')),
    msgPerSecondRange: `${Math.round(Math.min(...rates))}-${Math.round(Math.max(...rates))}`,
    brokerCpuMicrosPerMsg: Number(pick('brokerCpuMicrosPerMsg').toFixed(1)),
    brokerCpuPercentOfCore: Math.round(pick('brokerCpuPercentOfCore')),
    rssPeakMiB: Math.round(pick('rssPeakMiB')),
  };
}
const summary: Record<Mode, Summary> = { checked: summarise(results.checked), anonymous: summarise(results.anonymous), unchecked: summarise(results.unchecked) };
const loadAtEnd = loadavg();
const twoPlaces = (n: number) => n.toFixed(2);
console.log(`security overhead: durable QoS 1 ingest, ${values.publishers} publishers x ${values.messages} messages, window ${values.window}, ${values.rounds} rounds (median), ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadAtStart.map(twoPlaces).join(' ')} at the start, ${loadAtEnd.map(twoPlaces).join(' ')} at the end`);
console.table(Object.fromEntries(MODES.filter((mode) => results[mode].length > 0).map((mode) => [mode, summary[mode]])));
// The modes of one round ran back to back, so their ratio is the one least touched by other work.
const perRound = (key: keyof RunResult) => results.checked.map((r, i) => Number((r[key] / (results.unchecked[i]?.[key] ?? NaN)).toFixed(3)));
const msgPerSecondPerRound = perRound('msgPerSecond');
console.log(
  JSON.stringify({
    checkedVsUncheckedMsgPerSecond: Number((summary.checked.msgPerSecond / summary.unchecked.msgPerSecond).toFixed(3)),
    anonymousVsUncheckedMsgPerSecond: Number((summary.anonymous.msgPerSecond / summary.unchecked.msgPerSecond).toFixed(3)),
    checkedVsUncheckedMsgPerSecondPerRound: Number(median(msgPerSecondPerRound).toFixed(3)),
    checkedVsUncheckedMsgPerSecondEachRound: msgPerSecondPerRound,
    // Each mode's fastest round: the one other work on the machine disturbed least.
    checkedVsUncheckedBestMsgPerSecond: Number((Math.max(...results.checked.map((r) => r.msgPerSecond)) / Math.max(...results.unchecked.map((r) => r.msgPerSecond))).toFixed(3)),
    checkedVsUncheckedCpuPerMsg: Number((summary.checked.brokerCpuMicrosPerMsg / summary.unchecked.brokerCpuMicrosPerMsg).toFixed(3)),
    checkedVsUncheckedCpuPerMsgEachRound: perRound('brokerCpuMicrosPerMsg'),
    goal: 'checkedVsUncheckedMsgPerSecond >= 0.9',
  }),
);
