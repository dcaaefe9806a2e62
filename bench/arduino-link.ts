#!/usr/bin/env node
// Arduino serial link: the real firmware on an emulated ATmega328P (simavr, real time), the
// gateway's ArduinoPort and a real LMDB buffer. Measures
//   1. readings carried per second when the firmware samples as fast as the link drains
//      (intervalMs 0), as line bytes per second against the 115200-baud ceiling of 11,520 B/s;
//   2. latency from the firmware taking a reading to its record being durable in the buffer
//      (and its ACK sent), at 10 readings per second: p50, p99, max.
//   npm run bench:arduino   (needs the Debian packages of scripts/setup.sh)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '@coupler/kit';
import { LmdbBuffer } from '@coupler/edge/buffer';
import { ArduinoPort, createArduinoMetrics, encodeFrame, type SourcedReadingStore } from '@coupler/edge/devices/arduino';

const LINE_BYTES_PER_SECOND = 115_200 / 10; // 8N1: ten bits per byte
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const firmwareDir = new URL('../firmware/', import.meta.url).pathname;

execFileSync('make', ['-C', firmwareDir, '-s', 'all'], { stdio: 'inherit' });
const emulator = spawn(`${firmwareDir}build/avrsim`, ['-t', String(THROUGHPUT_SECONDS + LATENCY_SECONDS + 30), `${firmwareDir}build/coupler.elf`], { stdio: ['ignore', 'pipe', 'inherit'] });
const path = await new Promise<string>((resolve) => {
  emulator.stdout.on('data', (chunk: Buffer) => {
    const match = /^PTY (\S+)$/m.exec(chunk.toString());
    if (match?.[1]) resolve(match[1]);
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'coupler-bench-arduino-'));
const buffer = new LmdbBuffer({ dataDir, gatewayId: 'bench', quotaBytes: 1 << 30 });
buffer.open();
const durableAt = new Map<number, number>();
/** Of each latency, the part spent in the gateway: handed to the store -> durable. */
const commitMs: number[] = [];
const store: SourcedReadingStore = {
  storeFromSource: async (source, readings) => {
    const handedAt = Date.now();
    const outcome = await buffer.appendFromSource(`arduino:${source}`, readings);
    const now = Date.now();
    for (const record of outcome.records) {
      durableAt.set(record.sequence, now - record.timestampMs);
      commitMs.push(now - handedAt);
    }
    return { stored: outcome.records.length, duplicates: outcome.duplicates };
  },
};

async function run(intervalMs: number, seconds: number): Promise<{ records: number; latencies: number[] }> {
  const port = new ArduinoPort(
    { deviceId: 'bench', path, baudRate: 115_200, intervalMs, channelMask: 0x3f, reopenInitialMs: 100, reopenMaxMs: 1000 },
    { logger: createLogger({ name: 'bench', level: 'warn' }), metrics: createArduinoMetrics(new Registry()), store, now: Date.now },
  );
  await port.start();
  // Warm-up: until the device runs at the wanted interval (the port reconfigures it on HELLO).
  while (port.status().status !== 'ok') await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = durableAt.size;
  const firstSequence = Math.max(0, ...durableAt.keys());
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const latencies = [...durableAt].filter(([sequence]) => sequence > firstSequence).map(([, ms]) => ms);
  const records = durableAt.size - before;
  await port.stop();
  return { records, latencies };
}

const frameBytes = encodeFrame(new Uint8Array(26).fill(1)).length; // READING with six channels, no digital inputs
const throughput = await run(0, THROUGHPUT_SECONDS);
const perSecond = throughput.records / THROUGHPUT_SECONDS;
commitMs.length = 0;
const latency = await run(100, LATENCY_SECONDS);
const commits = commitMs.sort((a, b) => a - b);
const sorted = latency.latencies.sort((a, b) => a - b);
const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}`);
console.log(`throughput: ${perSecond.toFixed(1)} readings/s of 6 channels over ${THROUGHPUT_SECONDS} s, ${frameBytes} line bytes each`);
console.log(`  line use: ${(perSecond * frameBytes).toFixed(0)} B/s of ${LINE_BYTES_PER_SECOND} B/s = ${((perSecond * frameBytes) / LINE_BYTES_PER_SECOND).toFixed(3)} of the ceiling`);
console.log(`latency at 10 readings/s (${sorted.length} readings): p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms, max ${sorted.at(-1)} ms (taken on the device -> durable in LMDB, ACK sent; the frame's ~2.4 ms on the line not counted)`);
console.log(`  of which the LMDB commit: p50 ${commits[Math.floor(0.5 * commits.length)]} ms, p99 ${commits[Math.floor(0.99 * commits.length)]} ms, max ${commits.at(-1)} ms`);

await buffer.close();
emulator.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
