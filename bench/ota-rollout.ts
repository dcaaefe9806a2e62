#!/usr/bin/env node
// A rollout to 500 simulated gateways in 4 waves (1% canary, 10%, 50%, all) through the real
// rollout controller and its file repository, in its own process (cloud/sim/rollout-fleet.ts):
// time from start to done, and that process's CPU time and RSS. Each simulated gateway takes
// 100-1000 ms to apply and report, so the floor is about 4 x 1 s (one slowest gateway per wave).
//   npm run bench:ota-rollout
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const simulator = new URL('../cloud/sim/rollout-fleet.ts', import.meta.url).pathname;
const output = execFileSync(process.execPath, ['--conditions=development', '--import', 'tsx', simulator], { encoding: 'utf8', env: { ...process.env, SIM_GATEWAYS: process.env.BENCH_GATEWAYS ?? '500' } });
const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { gateways: number; status: string; waves: number[]; elapsedMs: number; cpuMs: number; rssMiB: number; timersArmed: number };
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.log(`${result.gateways} gateways, waves ${result.waves.join(' + ')}: ${result.status} in ${(result.elapsedMs / 1000).toFixed(2)} s`);
console.log(`controller process: ${result.cpuMs} ms CPU (${((result.cpuMs / result.elapsedMs) * 100).toFixed(1)}% of one core), RSS ${result.rssMiB} MiB, ${result.timersArmed} timers armed (one deadline per wave, no polling)`);
