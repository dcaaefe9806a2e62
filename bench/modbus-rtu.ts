#!/usr/bin/env node
// Modbus RTU bus scheduling: the gateway's poller and RtuBus against the paced RTU meter
// simulator (edge/sim/rtu-meter.ts) on a socat pty pair. Measures
//   1. polls/s of three SDM630 units (the simulator runs in its own process) on one bus polled as fast as the bus allows, at 9600 and
//      19200 baud, against the ceiling from frame sizes, 2 x t3.5 and the meter's turnaround;
//   2. polls/s of two healthy units at a 1 s poll interval, with and without a third unit
//      that never answers (timeout 500 ms) on the same bus.
//   npm run bench:rtu   (needs socat: scripts/setup.sh)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '@coupler/kit';
import {
  createModbusPoller,
  lineTimeMs,
  loadBuiltinProfile,
  planReads,
  responseBytes,
  silentIntervalMs,
  type ModbusDeviceConfig,
  type SerialLine,
} from '@coupler/edge/devices/modbus';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SIMULATOR = new URL('../edge/sim/rtu-meter-cli.ts', import.meta.url).pathname;
const TURNAROUND_MS = 2;
const logger = createLogger({ name: 'bench', level: 'silent' });
const profile = loadBuiltinProfile('eastron-sdm630');
const plan = planReads(profile.registers, { maxRegistersPerRead: profile.max_registers_per_read });

/** Shortest time one poll of one SDM630 can take on the line. */
function pollCeilingMs(line: SerialLine): number {
  return plan.reduce(
    (sum, request) =>
      sum +
      lineTimeMs(line, 8) +
      2 * silentIntervalMs(line) +
      TURNAROUND_MS +
      lineTimeMs(line, responseBytes({ unitId: 1, ...request })),
    0,
  );
}

async function withBus<T>(line: SerialLine, units: number[], body: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-bench-rtu-'));
  const meterPath = join(dir, 'ttyMETER');
  const gatewayPath = join(dir, 'ttyGATEWAY');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${meterPath}`, `pty,raw,echo=0,link=${gatewayPath}`], { stdio: 'ignore' });
  while (!existsSync(meterPath) || !existsSync(gatewayPath)) await new Promise((r) => setTimeout(r, 10));
  // The meters run in their own process, as real meters do not share the gateway's event loop.
  const simulator = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', SIMULATOR, '--path', meterPath, '--baud', String(line.baudRate), '--units', units.join(','), '--turnaround-ms', String(TURNAROUND_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    simulator.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('rtu meter simulator on')) resolve();
    });
    simulator.once('exit', (code) => {
      reject(new Error(`the RTU meter simulator exited with ${String(code)}`));
    });
  });
  try {
    return await body(gatewayPath);
  } finally {
    simulator.removeAllListeners('exit');
    simulator.kill('SIGTERM');
    socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Readings per second of each device over about SECONDS, after `settle` has resolved. */
async function pollRates(line: SerialLine, path: string, devices: ModbusDeviceConfig[], settle: (statuses: () => { deviceId: string; status: string }[]) => Promise<void>) {
  const stamps = new Map<string, number[]>();
  let isCounting = false;
  const poller = createModbusPoller(
    { devices, buses: [{ ...line, id: 'rtu0', path, turnaroundDelayMs: 0, reopenIntervalMs: 1000 }] },
    {
      logger,
      registry: new Registry(),
      publish: (reading) => {
        if (isCounting) stamps.set(reading.deviceId, [...(stamps.get(reading.deviceId) ?? []), performance.now()]);
        return Promise.resolve();
      },
    },
  );
  await poller.start();
  await settle(() => poller.statuses());
  isCounting = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  isCounting = false;
  await poller.stop();
  // Readings per second between the first and the last reading of each device.
  const rate = (times: number[]) => ((times.length - 1) * 1000) / ((times.at(-1) ?? 0) - (times[0] ?? 0) || Infinity);
  return new Map(devices.map((d) => [d.id, rate(stamps.get(d.id) ?? [])]));
}

const device = (id: string, unitId: number, pollIntervalMs: number, timeoutMs: number): ModbusDeviceConfig => ({
  id, profile: 'eastron-sdm630', transport: 'rtu', bus: 'rtu0', unitId, pollIntervalMs, timeoutMs, retries: 1,
});
const settleFor = (ms: number) => () => new Promise<void>((r) => setTimeout(r, ms));

console.log(`# Modbus RTU bus, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}, ${SECONDS} s per figure`);
console.log(`# SDM630 plan: ${plan.length} requests per poll (${plan.map((r) => r.count).join('+')} registers), meter turnaround ${TURNAROUND_MS} ms`);
for (const baudRate of [9600, 19_200]) {
  const line: SerialLine = { baudRate, dataBits: 8, parity: 'none', stopBits: 1 };
  const ceiling = 1000 / pollCeilingMs(line);
  const rates = await withBus(line, [1, 2, 3], (path) =>
    pollRates(line, path, [1, 2, 3].map((u) => device(`m${u}`, u, 50, 1000)), settleFor(1000)),
  );
  const total = [...rates.values()].reduce((a, b) => a + b, 0);
  console.log(`saturated ${baudRate} baud: ${total.toFixed(2)} polls/s on the bus (3 units), ceiling ${ceiling.toFixed(2)}, ratio ${(total / ceiling).toFixed(3)}`);
}
const line: SerialLine = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
const healthy = [device('m1', 1, 1000, 500), device('m2', 2, 1000, 500)];
const without = await withBus(line, [1, 2], (path) => pollRates(line, path, healthy, settleFor(2000)));
const withDead = await withBus(line, [1, 2], (path) =>
  pollRates(line, path, [...healthy, device('dead', 3, 1000, 500)], async (statuses) => {
    while (statuses().find((s) => s.deviceId === 'dead')?.status !== 'offline') await new Promise((r) => setTimeout(r, 100));
    // Past the polls the first timeouts delayed, which the healthy units make up right after.
    await new Promise((r) => setTimeout(r, 3000));
  }),
);
for (const id of ['m1', 'm2'])
  console.log(`9600 baud, 1 s interval, ${id}: ${(without.get(id) ?? 0).toFixed(3)} polls/s alone, ${(withDead.get(id) ?? 0).toFixed(3)} polls/s with a dead unit on the bus (ratio ${((withDead.get(id) ?? 0) / (without.get(id) ?? 1)).toFixed(3)})`);
