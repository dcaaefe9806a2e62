#!/usr/bin/env node
// Modbus TCP at scale (issue 4, the load EMQX Neuron publishes as its own test): 500 simulated
// meters x 30 float32 values (60 contiguous input registers), polled every 1 s and every 0.5 s,
// in the same run, against the same meters, by
//   - the gateway's poller (no bus, no buffer) in a process of its own, and
//   - Node-RED with node-red-contrib-modbus 5.23.3 (one modbus-client and one modbus-read per
//     meter), installed at run time into a cache folder (bench/lib/nodered-modbus.ts).
// Runs compiled, from bench/dist/, as the gateway runs in production (compiled dist, no
// transpiler in the process); so do the meters.
// Each pass starts its side afresh, waits WARMUP seconds, then measures over SECONDS: values
// actually read, CPU (utime+stime of /proc/<pid>/stat), RSS (/proc/<pid>/status), and the CPU
// of the whole machine (/proc/stat) so that other load is visible. Passes alternate
// A B B A over ROUNDS rounds; the summary gives the median per side and the CPU-per-value ratio.
//   npm run bench:tcp-scale   [BENCH_DEVICES=500 BENCH_SECONDS=20 BENCH_WARMUP=10 BENCH_ROUNDS=2 BENCH_PEER=node-red|none]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { installModbusNodes, MODBUS_NODES_VERSION, modbusFlow, startNodeRed } from './lib/nodered-modbus.js';
import { cpuSeconds, cpuTimes, median, memoryMiB, stop } from './lib/proc.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WITH_PEER = (process.env.BENCH_PEER ?? 'node-red') !== 'none';
const VALUES = 30;
const LIB = new URL('./lib/', import.meta.url).pathname;

type SideName = 'coupler' | 'node-red';
interface Side {
  child: ChildProcess;
  /** Values read so far (float32 values: two registers each). */
  values(): Promise<number>;
}
interface Pass {
  side: SideName;
  intervalMs: number;
  valuesPerSecond: number;
  cpuPercent: number;
  microsPerValue: number;
  /** Share of the side's CPU spent in the kernel (stime): socket system calls, much the same work for both sides. */
  systemShare: number;
  rssMiB: number;
  peakMiB: number;
  metersCpuPercent: number;
  /** CPU of the whole machine in the window, in cores (of cpus().length), and what our processes do not explain. */
  machineCores: number;
  otherCores: number;
  loadAverage: number;
}

const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-tcp-'));
const profile = join(dir, 'thirty.yaml');
writeFileSync(
  profile,
  ['name: thirty', 'source: bench', 'registers:', ...Array.from({ length: VALUES }, (_, i) => `  - { name: value${i}, address: ${i * 2}, register: input, data_type: float32 }`), ''].join('\n'),
);

/** Hands out a child's standard output line by line, in order. */
function lines(child: ChildProcess): () => Promise<string> {
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const next = waiting.shift();
      if (next) next(line);
      else ready.push(line);
    });
  }
  return () => {
    const line = ready.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => {
        reject(new Error(`child exited with ${String(code)}`));
      });
    });
  };
}

/** Busy and total jiffies of the whole machine so far (/proc/stat, first line). */
function machineJiffies(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

const meters = spawn(process.execPath, [`${LIB}tcp-meters.js`, String(DEVICES), profile], { stdio: ['ignore', 'pipe', 'inherit'] });
const ports = JSON.parse(await lines(meters)()) as number[];
const metersPid = meters.pid ?? 0;
const nodesDir = WITH_PEER ? await installModbusNodes() : '';

function startCoupler(intervalMs: number): Side {
  const child = spawn(process.execPath, [`${LIB}tcp-poller.js`, String(intervalMs), profile, JSON.stringify(ports)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const next = lines(child);
  return {
    child,
    values: async () => {
      const line = next();
      child.stdin.write('\n');
      return (JSON.parse(await line) as { values: number }).values;
    },
  };
}

async function startPeer(intervalMs: number, pass: number): Promise<Side> {
  const peer = await startNodeRed(join(dir, `node-red-${pass}`), nodesDir, modbusFlow(ports, intervalMs, 2 * VALUES));
  return { child: peer.child, values: async () => (await peer.counts()).registers / 2 };
}

async function measure(side: SideName, intervalMs: number, pass: number): Promise<Pass> {
  const running = side === 'coupler' ? startCoupler(intervalMs) : await startPeer(intervalMs, pass);
  const pid = running.child.pid ?? 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, WARMUP * 1000));
    const valuesBefore = await running.values();
    const cpuBefore = cpuTimes(pid);
    const metersBefore = cpuSeconds(metersPid);
    const machineBefore = machineJiffies();
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const values = (await running.values()) - valuesBefore;
    const cpuAfter = cpuTimes(pid);
    const system = cpuAfter.system - cpuBefore.system;
    const cpu = cpuAfter.user - cpuBefore.user + system;
    const metersCpu = cpuSeconds(metersPid) - metersBefore;
    const machineAfter = machineJiffies();
    const seconds = (performance.now() - startedAt) / 1000;
    const memory = memoryMiB(pid);
    const machineCores = (cpus().length * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total);
    return {
      side,
      intervalMs,
      valuesPerSecond: values / seconds,
      cpuPercent: (100 * cpu) / seconds,
      microsPerValue: (cpu * 1e6) / values,
      systemShare: system / cpu,
      rssMiB: memory.rss,
      peakMiB: memory.peak,
      metersCpuPercent: (100 * metersCpu) / seconds,
      machineCores,
      otherCores: machineCores - (cpu + metersCpu) / seconds,
      loadAverage: loadavg()[0] ?? NaN,
    };
  } finally {
    await stop(running.child);
  }
}

const sides: SideName[] = WITH_PEER ? ['coupler', 'node-red'] : ['coupler'];
console.log(
  `# Modbus TCP at scale, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}: ${DEVICES} meters x ${VALUES} float32 values, ` +
    `${WARMUP} s warm-up + ${SECONDS} s window per pass, ${ROUNDS} rounds${WITH_PEER ? `, peer Node-RED + node-red-contrib-modbus ${MODBUS_NODES_VERSION}` : ''}`,
);
const passes: Pass[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const intervalMs of [1000, 500]) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const result = await measure(side, intervalMs, passes.length);
        passes.push(result);
        const expected = (DEVICES * VALUES * 1000) / intervalMs;
        console.log(
          `round ${round + 1}, every ${intervalMs} ms, ${side}: ${result.valuesPerSecond.toFixed(0)} values/s (${((100 * result.valuesPerSecond) / expected).toFixed(1)}% of ${expected}), ` +
            `CPU ${result.cpuPercent.toFixed(1)}% of a core, ${result.microsPerValue.toFixed(2)} µs per value (${(100 * result.systemShare).toFixed(0)}% in the kernel), RSS ${result.rssMiB.toFixed(0)} MiB (peak ${result.peakMiB.toFixed(0)}); ` +
            `meters ${result.metersCpuPercent.toFixed(1)}%, machine ${result.machineCores.toFixed(2)} cores busy (${result.otherCores.toFixed(2)} not ours), load ${result.loadAverage.toFixed(2)}`,
        );
      }
    }
  }
} finally {
  await stop(meters);
  rmSync(dir, { recursive: true, force: true });
}

const summary = [1000, 500].flatMap((intervalMs) =>
  sides.map((side) => {
    const mine = passes.filter((p) => p.side === side && p.intervalMs === intervalMs);
    const pick = (key: Exclude<keyof Pass, 'side'>) => Number(median(mine.map((p) => p[key])).toFixed(2));
    return {
      intervalMs,
      side,
      valuesPerSecond: pick('valuesPerSecond'),
      cpuPercent: pick('cpuPercent'),
      microsPerValue: pick('microsPerValue'),
      systemShare: pick('systemShare'),
      rssMiB: pick('rssMiB'),
      peakMiB: pick('peakMiB'),
      otherCores: pick('otherCores'),
    };
  }),
);
console.table(summary);
if (WITH_PEER) {
  for (const intervalMs of [1000, 500]) {
    const of = (side: SideName) => summary.find((s) => s.side === side && s.intervalMs === intervalMs)?.microsPerValue ?? NaN;
    const perRound = Array.from({ length: ROUNDS }, (_, round) => {
      const at = (side: SideName) => passes.filter((p) => p.side === side && p.intervalMs === intervalMs)[round]?.microsPerValue ?? NaN;
      return Number((at('coupler') / at('node-red')).toFixed(3));
    });
    console.log(JSON.stringify({ intervalMs, cpuPerValueRatio: Number((of('coupler') / of('node-red')).toFixed(3)), perRound, goal: 0.5 }));
  }
}
