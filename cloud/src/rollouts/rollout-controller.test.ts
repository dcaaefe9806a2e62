import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@coupler/kit';
import { fileRolloutRepository } from './file-repository.js';
import { planWaves, selectGateways, type ArtifactRef } from './plan.js';
import type { Timers } from './ports.js';
import { RolloutController } from './rollout-controller.js';
import type { RolloutPlan, RolloutState } from './rollout-state.js';

const V1: ArtifactRef = { kind: 'arduino-firmware', version: '0.1.0', sha256: '1'.repeat(64) };
const V2: ArtifactRef = { kind: 'arduino-firmware', version: '0.2.0', sha256: '2'.repeat(64) };
const gateways = (n: number) => Array.from({ length: n }, (_, i) => `gw-${String(i).padStart(3, '0')}`);

/** FAKE wall clock (time is injected, STYLE §7): deadlines fire when the test says so. */
function manualTimers(): Timers & { pending: () => number; fireAll: () => void; armed: number } {
  const timers = new Map<number, () => void>();
  let next = 0;
  const seam = {
    armed: 0,
    setTimeout: (callback: () => void) => {
      seam.armed++;
      timers.set(++next, callback);
      return next;
    },
    clearTimeout: (handle: unknown) => { timers.delete(handle as number); },
    pending: () => timers.size,
    fireAll: () => {
      const due = [...timers.values()];
      timers.clear();
      for (const callback of due) callback();
    },
  };
  return seam;
}

function rig(dir = mkdtempSync(join(tmpdir(), 'coupler-rollouts-'))) {
  onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
  const targets: string[] = [];
  const timers = manualTimers();
  const controller = new RolloutController({
    desired: { setTarget: (gatewayId, artifact) => targets.push(`${gatewayId}=${artifact.version}`) },
    repository: fileRolloutRepository(dir),
    timers,
    now: () => Date.parse('2026-12-01T04:00:00Z'),
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  return { controller, targets, timers, dir };
}

const plan = (overrides: Partial<RolloutPlan> = {}): RolloutPlan => ({
  rolloutId: 'fw-0.2.0', target: V2, previous: V1, gatewayIds: gateways(20), waveFractions: [0.05, 0.5, 1], failureThreshold: 0.2, waveTimeoutMs: 600_000, ...overrides,
});

describe('rollout waves', () => {
  it('plans a canary and growing waves: 500 gateways by default in 5, 45, 200, 250', () => {
    expect(planWaves(gateways(500)).map((w) => w.length)).toEqual([5, 45, 200, 250]);
    expect(planWaves(gateways(3)).map((w) => w.length)).toEqual([1, 1, 1]);
    expect(() => planWaves(gateways(3), [0.5, 0.4])).toThrow('waveFractions: must rise strictly within (0, 1] (got [0.5,0.4])');
    expect(() => planWaves(gateways(3), [0.5])).toThrow('waveFractions: the last wave must reach 1 (every gateway) (got [0.5])');
  });

  it('selects listed ids, or gateways with every tag in one of the groups', () => {
    const fleet = [
      { gatewayId: 'a', tags: ['arduino', 'beta'], groups: ['line-1'] },
      { gatewayId: 'b', tags: ['arduino'], groups: ['line-2'] },
      { gatewayId: 'c', tags: ['arduino', 'beta'], groups: ['line-2'] },
      { gatewayId: 'd', tags: [], groups: [] },
    ];
    expect(selectGateways({ tags: ['arduino', 'beta'] }, fleet)).toEqual(['a', 'c']);
    expect(selectGateways({ tags: ['arduino'], groups: ['line-2'], gatewayIds: ['d'] }, fleet)).toEqual(['b', 'c', 'd']);
    expect(() => selectGateways({}, fleet)).toThrow('selector: name gateway ids, tags or groups (an empty selector would target the whole fleet by accident)');
  });
});

describe('rollout controller (event-driven)', () => {
  it('starts each wave when the previous one has reported, with no timer but each wave\'s deadline', async () => {
    const { controller, targets, timers } = rig();
    await controller.create(plan());
    expect(targets).toEqual(['gw-000=0.2.0']); // the canary only
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    expect(targets).toHaveLength(10); // wave 2 started on the canary's report, not on a tick
    for (const gw of gateways(10).slice(1)) await controller.report('fw-0.2.0', gw, 'done');
    expect(targets).toHaveLength(20);
    for (const gw of gateways(20).slice(10)) await controller.report('fw-0.2.0', gw, gw === 'gw-015' ? 'rolled_back' : 'done');
    const state = controller.view('fw-0.2.0');
    expect(state.status).toBe('completed');
    expect(state.history.map((h) => h.event)).toEqual([
      'created: 20 gateways in 3 waves (1, 9, 10)',
      'wave 1 of 3 started: 1 gateways', 'wave 1 finished: 1 of 1 gateways updated',
      'wave 2 of 3 started: 9 gateways', 'wave 2 finished: 9 of 9 gateways updated',
      'wave 3 of 3 started: 10 gateways', 'wave 3 finished: 9 of 10 gateways updated',
      'completed',
    ]);
    expect(timers.armed).toBe(3);
    expect(timers.pending()).toBe(0);
  });

  it('pauses as soon as a wave\'s failures pass the threshold, and an operator resumes it', async () => {
    const { controller, targets } = rig();
    await controller.create(plan());
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    await controller.report('fw-0.2.0', 'gw-001', 'rolled_back', 'version 0.2.0 did not say hello');
    expect(controller.view('fw-0.2.0').status).toBe('running'); // 1 of 9 = 11%
    await controller.report('fw-0.2.0', 'gw-002', 'failed');
    const paused = controller.view('fw-0.2.0');
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'wave 2: 2 of 9 gateways failed (22.2% > threshold 20%)' });
    for (const gw of gateways(10).slice(3)) await controller.report('fw-0.2.0', gw, 'done'); // counted, still paused
    expect(controller.view('fw-0.2.0').status).toBe('paused');
    expect(targets).toHaveLength(10);

    await controller.resume('fw-0.2.0');
    expect(targets).toHaveLength(20);
    await expect(controller.resume('fw-0.2.0')).rejects.toThrow('rollout fw-0.2.0 is running; only a paused rollout resumes');
  });

  it('pauses a completed rollout when a gateway that reported done rolls back later; the same report again changes nothing', async () => {
    const { controller, timers } = rig();
    await controller.create(plan({ gatewayIds: ['gw-000'], waveFractions: [1], failureThreshold: 0 }));
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    expect(controller.view('fw-0.2.0').status).toBe('completed');
    const reason = 'the flows crashed Node-RED (2 crashes within 60000 ms of the deployment); the flows from before them run again';
    await controller.report('fw-0.2.0', 'gw-000', 'rolled_back', reason);
    const paused = controller.view('fw-0.2.0');
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'wave 1: 1 of 1 gateways failed (100% > threshold 0%), after the wave had finished' });
    expect(paused.waves[0]?.results).toEqual({ 'gw-000': { outcome: 'rolled_back', reason } });
    expect(paused.history.map((h) => h.event).slice(-2)).toEqual([`gateway gw-000 of wave 1 reported rolled_back after done: ${reason}`, `paused: ${paused.pausedReason ?? ''}`]);
    await controller.report('fw-0.2.0', 'gw-000', 'rolled_back', reason); // every hello re-sends it
    expect(controller.view('fw-0.2.0').history).toHaveLength(paused.history.length);
    // The operator accepts it (or rolls back, or aborts): nothing is left to start.
    expect((await controller.resume('fw-0.2.0')).status).toBe('completed');
    expect(timers.pending()).toBe(0);
  });

  it('pauses a running rollout when a finished wave\'s gateway fails later; resuming waits for the wave under way', async () => {
    const { controller, targets, timers } = rig();
    await controller.create(plan({ failureThreshold: 0 }));
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    expect(targets).toHaveLength(10);
    await controller.report('fw-0.2.0', 'gw-001', 'done');
    await controller.report('fw-0.2.0', 'gw-000', 'rolled_back', 'crash loop');
    expect(controller.view('fw-0.2.0')).toMatchObject({ status: 'paused', currentWave: 1, pausedReason: 'wave 1: 1 of 1 gateways failed (100% > threshold 0%), after the wave had finished' });
    expect(timers.pending()).toBe(0); // wave 2's deadline is off while paused
    await controller.resume('fw-0.2.0');
    expect(controller.view('fw-0.2.0')).toMatchObject({ status: 'running', currentWave: 1 });
    expect(targets).toHaveLength(10); // wave 3 waits for wave 2's gateways
    expect(timers.pending()).toBe(1);
    for (const gw of gateways(10).slice(2)) await controller.report('fw-0.2.0', gw, 'done');
    expect(controller.view('fw-0.2.0')).toMatchObject({ status: 'running', currentWave: 2 });
    expect(targets).toHaveLength(20);
  });

  it('notes a late failure within the threshold without pausing', async () => {
    const { controller } = rig();
    await controller.create(plan({ gatewayIds: gateways(10), waveFractions: [1], failureThreshold: 0.2 }));
    for (const gw of gateways(10)) await controller.report('fw-0.2.0', gw, 'done');
    await controller.report('fw-0.2.0', 'gw-003', 'rolled_back');
    const state = controller.view('fw-0.2.0');
    expect(state.status).toBe('completed');
    expect(state.history.at(-1)?.event).toBe('gateway gw-003 of wave 1 reported rolled_back after done');
  });

  it('counts gateways silent at the wave deadline as timed out, which pauses a canary', async () => {
    const { controller, timers } = rig();
    await controller.create(plan());
    timers.fireAll();
    await controller.settled();
    const state = controller.view('fw-0.2.0');
    expect(state).toMatchObject({ status: 'paused', pausedReason: 'wave 1: 1 of 1 gateways failed (100% > threshold 20%)' });
    expect(state.waves[0]?.results).toEqual({ 'gw-000': { outcome: 'timed_out', reason: 'no report within 600000 ms' } });
  });

  it('rolls back: the previous version becomes the target of every gateway the rollout reached', async () => {
    const { controller, targets } = rig();
    await controller.create(plan());
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    targets.length = 0;
    const state = await controller.rollback('fw-0.2.0');
    expect(state.status).toBe('rolled_back');
    expect(targets).toEqual(gateways(10).map((gw) => `${gw}=0.1.0`));
    await expect(controller.report('fw-0.2.0', 'gw-015', 'done')).rejects.toThrow('gateway gw-015 has not been asked to take part in rollout fw-0.2.0');
  });

  it('carries on after a restart from the saved rollouts', async () => {
    const first = rig();
    await first.controller.create(plan());
    await first.controller.stop();
    const second = rig(first.dir);
    await second.controller.start();
    await second.controller.report('fw-0.2.0', 'gw-000', 'done');
    expect(second.targets).toHaveLength(9);
    expect(second.controller.view('fw-0.2.0').currentWave).toBe(1);
    await second.controller.stop();
  });

  it('saves each state before acting on it: a failed save sets no target, rejects the call and keeps the last saved state', async () => {
    const saved: RolloutState[] = [];
    let failAt = -1;
    const targets: string[] = [];
    const controller = new RolloutController({
      desired: { setTarget: (gatewayId, artifact) => targets.push(`${gatewayId}=${artifact.version}`) },
      repository: {
        save: (state) => {
          if (saved.length === failAt) return Promise.reject(new Error('the disk is full'));
          saved.push(structuredClone(state));
          return Promise.resolve();
        },
        loadAll: () => Promise.resolve([]),
      },
      timers: manualTimers(),
      now: () => Date.parse('2026-12-01T04:00:00Z'),
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    await controller.create(plan());
    expect(saved.at(-1)?.history.at(-1)?.event).toBe('wave 1 of 3 started: 1 gateways');
    expect(targets).toEqual(['gw-000=0.2.0']);
    // The canary's report finishes wave 1; the save of "wave 2 started" fails.
    failAt = saved.length + 1;
    await expect(controller.report('fw-0.2.0', 'gw-000', 'done')).rejects.toThrow('the disk is full');
    expect(targets).toEqual(['gw-000=0.2.0']);
    expect(controller.view('fw-0.2.0').history.at(-1)?.event).toBe('wave 1 of 3 started: 1 gateways');
    // The gateway says it again at its next hello: now it is saved, and only then acted on.
    failAt = -1;
    await controller.report('fw-0.2.0', 'gw-000', 'done');
    expect(targets).toHaveLength(10);
    expect(saved.at(-1)).toEqual(controller.view('fw-0.2.0'));
  });

  it('names every problem of a bad rollout', async () => {
    await expect(rig().controller.create(plan({ rolloutId: 'a b', gatewayIds: [], failureThreshold: 1.5, waveTimeoutMs: 0 }))).rejects.toThrow(
      'the rollout is invalid: rolloutId: must be 1-64 letters, digits, \'.\', \'_\' or \'-\' (got "a b"); gatewayIds: the selector picked no gateway; failureThreshold: must be >= 0 and < 1 (got 1.5); waveTimeoutMs: must be a whole number > 0 (got 0)',
    );
  });
});
