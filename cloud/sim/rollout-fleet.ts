#!/usr/bin/env node
// A simulated fleet under the real rollout controller: each gateway "applies" the firmware the
// controller makes its target after a random delay and reports done (or, with
// SIM_FAILURE_RATE, rolled_back). Prints one JSON line with time, CPU and RSS of this process.
//   node --conditions=development --import tsx cloud/sim/rollout-fleet.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@coupler/kit';
import { fileRolloutRepository, RolloutController, type RolloutState } from '../src/rollouts/index.js';

const GATEWAYS = Number(process.env.SIM_GATEWAYS ?? 500);
const APPLY_MIN_MS = Number(process.env.SIM_APPLY_MIN_MS ?? 100);
const APPLY_MAX_MS = Number(process.env.SIM_APPLY_MAX_MS ?? 1_000);
const FAILURE_RATE = Number(process.env.SIM_FAILURE_RATE ?? 0);

const dir = mkdtempSync(join(tmpdir(), 'coupler-sim-rollout-'));
let timersArmed = 0;
let finished: (state: RolloutState) => void = () => undefined;
const done = new Promise<RolloutState>((resolve) => (finished = resolve));
const controller: RolloutController = new RolloutController({
  desired: {
    setTarget: (gatewayId, _artifact, rolloutId) => {
      // The gateway downloads, verifies, flashes and reports; here only its delay and outcome.
      setTimeout(() => {
        void controller.report(rolloutId, gatewayId, Math.random() < FAILURE_RATE ? 'rolled_back' : 'done');
      }, APPLY_MIN_MS + Math.random() * (APPLY_MAX_MS - APPLY_MIN_MS));
    },
  },
  repository: fileRolloutRepository(dir),
  timers: {
    setTimeout: (callback, ms) => {
      timersArmed++;
      return setTimeout(callback, ms);
    },
    clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); },
  },
  now: Date.now,
  logger: createLogger({ name: 'sim', level: 'silent' }),
  changed: (state) => {
    if (state.status !== 'running') finished(state);
  },
});

const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
await controller.create({
  rolloutId: 'sim',
  target: { kind: 'arduino-firmware', version: '0.2.0', sha256: 'a'.repeat(64) },
  gatewayIds: Array.from({ length: GATEWAYS }, (_, i) => `gw-${i}`),
  failureThreshold: 0.2,
  waveTimeoutMs: 600_000,
});
const state = await done;
const elapsedMs = performance.now() - startedAt;
const cpu = process.cpuUsage(cpuBefore);
await controller.stop();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  gateways: GATEWAYS,
  status: state.status,
  waves: state.waves.map((w) => w.gatewayIds.length),
  elapsedMs: Math.round(elapsedMs),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  timersArmed,
  applyMs: [APPLY_MIN_MS, APPLY_MAX_MS],
}));
