#!/usr/bin/env node
// Modbus TCP at scale (issue 4, the load EMQX Neuron publishes as its own test): 500 simulated
// meters x 30 values, polled every 1 s and every 0.5 s by the gateway's poller in a process of
// its own; reports values read per second, the poller's CPU (per value read and in % of a
// core) and RSS. The meters run in another process.
//   npm run bench:tcp-scale   [BENCH_DEVICES=500 BENCH_SECONDS=20]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, memoryMiB, stop } from './lib/proc.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const LIB = new URL('./lib/', import.meta.url).pathname;
const TSX = ['--conditions=development', '--import', 'tsx'];

// 30 float32 values in 60 contiguous input registers: one request per poll.
const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-tcp-'));
const profile = join(dir, 'thirty.yaml');
writeFileSync(
  profile,
  ['name: thirty', 'source: bench', 'registers:', ...Array.from({ length: 30 }, (_, i) => `  - { name: value${i}, address: ${i * 2}, register: input, data_type: float32 }`), ''].join('\n'),
);

function firstLine(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) {
        resolve(out.slice(0, end));
        out = out.slice(end + 1);
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`child exited with ${String(code)}`));
    });
  });
}

const meters = spawn(process.execPath, [...TSX, `${LIB}tcp-meters.ts`, String(DEVICES), profile], { stdio: ['ignore', 'pipe', 'inherit'] });
const ports = await firstLine(meters);
console.log(`# Modbus TCP at scale, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}: ${DEVICES} meters x 30 float32 values, ${SECONDS} s per figure`);
for (const intervalMs of [1000, 500]) {
  const poller = spawn(process.execPath, [...TSX, `${LIB}tcp-poller.ts`, String(intervalMs), profile, ports], { stdio: ['pipe', 'pipe', 'inherit'] });
  const sample = async () => {
    const line = firstLine(poller);
    poller.stdin.write('\n');
    return JSON.parse(await line) as { readings: number; values: number; offline: number };
  };
  // Connected and past start-up.
  await new Promise((r) => setTimeout(r, 5000));
  const before = await sample();
  const cpuBefore = cpuSeconds(poller.pid ?? 0);
  const startedAt = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const after = await sample();
  const cpu = cpuSeconds(poller.pid ?? 0) - cpuBefore;
  const seconds = (performance.now() - startedAt) / 1000;
  const memory = memoryMiB(poller.pid ?? 0);
  const valuesPerSecond = (after.values - before.values) / seconds;
  const expected = (DEVICES * 30 * 1000) / intervalMs;
  console.log(
    `every ${intervalMs} ms: ${valuesPerSecond.toFixed(0)} values/s (${((100 * valuesPerSecond) / expected).toFixed(1)}% of ${expected}), ` +
      `CPU ${((100 * cpu) / seconds).toFixed(1)}% of a core, ${((cpu * 1e6) / (after.values - before.values)).toFixed(2)} µs per value, ` +
      `RSS ${memory.rss.toFixed(0)} MiB (peak ${memory.peak.toFixed(0)}), devices not ok: ${after.offline}`,
  );
  await stop(poller);
}
await stop(meters);
rmSync(dir, { recursive: true, force: true });
