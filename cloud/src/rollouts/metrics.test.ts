import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@coupler/kit';
import { fileRolloutRepository } from './file-repository.js';
import { registerRolloutMetrics } from './metrics.js';
import { RolloutController } from './rollout-controller.js';

const artifact = (version: string) => ({ kind: 'arduino-firmware' as const, version, sha256: version.replace(/\D/g, '').padEnd(64, '0') });

describe('rollout metrics', () => {
  it('count rollouts by status and name each paused one, read from the controller at scrape time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coupler-rollout-metrics-'));
    onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
    const controller = new RolloutController({
      desired: { setTarget: () => undefined },
      repository: fileRolloutRepository(dir),
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      now: Date.now,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    const registry = new Registry();
    registerRolloutMetrics(registry, () => controller.list());
    const plan = (rolloutId: string) => ({ rolloutId, target: artifact('0.2.0'), previous: artifact('0.1.0'), gatewayIds: ['gw-1', 'gw-2'], waveFractions: [0.5, 1], failureThreshold: 0, waveTimeoutMs: 60_000 });
    await controller.create(plan('fw-a'));
    await controller.create(plan('fw-b'));
    await controller.report('fw-b', 'gw-1', 'rolled_back', 'no hello');

    const text = await registry.metrics();
    expect(text).toContain('coupler_cloud_rollouts{status="running"} 1');
    expect(text).toContain('coupler_cloud_rollouts{status="paused"} 1');
    expect(text).toContain('coupler_cloud_rollouts{status="completed"} 0');
    expect(text).toContain('coupler_cloud_rollout_paused{rollout_id="fw-b"} 1');

    await controller.rollback('fw-b');
    const after = await registry.metrics();
    expect(after).toContain('coupler_cloud_rollouts{status="rolled_back"} 1');
    expect(after).not.toContain('coupler_cloud_rollout_paused{');
  });
});
