import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import { planWaves } from './plan.js';
import type { DesiredFirmwareTargets, RolloutRepository, Timers } from './ports.js';
import { isFailure, type GatewayOutcome, type RolloutPlan, type RolloutState, type WaveState } from './rollout-state.js';

export interface RolloutControllerDeps {
  desired: DesiredFirmwareTargets;
  repository: RolloutRepository;
  timers: Timers;
  now: () => number;
  logger: Logger;
  /** Every change of a rollout (wave started, report counted, paused...): to the API and dashboard. */
  changed?: (state: RolloutState) => void;
}

/**
 * Runs rollouts in waves, driven by events only: a wave starts by setting the desired firmware of
 * its gateways, and each gateway's report is counted as it arrives. When a wave's last report
 * arrives (or its one deadline timer fires) the next wave starts, or the rollout pauses itself
 * because the wave's failure rate passed the threshold. There is no polling interval.
 * Operators resume, abort, or roll back (the previous version becomes the target again).
 *
 * Every change runs in one queue on a copy of the rollout: each state is saved (durable)
 * before it is acted on (targets set) and before the call resolves, and the copy replaces the
 * rollout only when every save succeeded, so a failed save leaves the last saved state.
 */
export class RolloutController {
  private readonly rollouts = new Map<string, RolloutState>();
  private readonly deadlines = new Map<string, unknown>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RolloutControllerDeps) {}

  /** Loads the saved rollouts and re-arms the deadline of each running wave (after a restart or a leader change). */
  start(): Promise<void> {
    return this.serial(async () => {
      const saved = await this.deps.repository.loadAll();
      this.rollouts.clear();
      for (const state of saved) {
        this.rollouts.set(state.plan.rolloutId, state);
        if (state.status === 'running') this.armDeadline(state);
      }
    });
  }

  /** Disarms the deadlines and forgets the rollouts: a deposed leader's copies would go stale. */
  stop(): Promise<void> {
    return this.serial(() => {
      for (const handle of this.deadlines.values()) this.deps.timers.clearTimeout(handle);
      this.deadlines.clear();
      this.rollouts.clear();
      return Promise.resolve();
    });
  }

  create(plan: RolloutPlan): Promise<RolloutState> {
    return this.serial(async () => {
      const problems = planProblems(plan);
      if (this.rollouts.has(plan.rolloutId)) problems.push(`rolloutId: ${plan.rolloutId} exists already`);
      if (problems.length > 0) throw invalid(`the rollout is invalid: ${problems.join('; ')}`);
      let waves: WaveState[];
      try {
        waves = planWaves(plan.gatewayIds, plan.waveFractions).map((gatewayIds): WaveState => ({ gatewayIds, results: {} }));
      } catch (err) {
        throw invalid(`the rollout is invalid: ${(err as Error).message}`);
      }
      const state: RolloutState = { plan, status: 'running', currentWave: 0, waves, history: [] };
      try {
        await this.note(state, `created: ${plan.gatewayIds.length} gateways in ${waves.length} waves (${waves.map((w) => w.gatewayIds.length).join(', ')})`);
        await this.startWave(state, 0);
      } catch (err) {
        this.clearDeadline(plan.rolloutId);
        throw err;
      }
      this.rollouts.set(plan.rolloutId, state);
      return structuredClone(state);
    });
  }

  /**
   * A gateway's OTA outcome for the rollout's target; reports for other waves' gateways are kept
   * too, and the same report again changes nothing. A gateway that reported done and fails later
   * (flows rolled back after a crash loop) is judged again with its finished wave: past the
   * threshold, a running or completed rollout pauses (docs/decisions/0103).
   */
  report(rolloutId: string, gatewayId: string, outcome: GatewayOutcome, reason?: string): Promise<void> {
    return this.change(rolloutId, async (state) => {
      const wave = state.waves.find((w) => w.gatewayIds.includes(gatewayId) && w.startedAt !== undefined);
      if (!wave) throw invalid(`gateway ${gatewayId} has not been asked to take part in rollout ${rolloutId}`);
      const before = wave.results[gatewayId];
      if (before?.outcome === outcome && before.reason === reason) return;
      wave.results[gatewayId] = reason === undefined ? { outcome } : { outcome, reason };
      const isUnderWay = state.status === 'running' && wave === state.waves[state.currentWave];
      if (isUnderWay) await this.judgeWave(state, false);
      else if (before?.outcome === 'done' && isFailure(outcome)) await this.judgeLateFailure(state, wave, gatewayId);
      else await this.save(state);
    });
  }

  resume(rolloutId: string): Promise<RolloutState> {
    return this.change(rolloutId, async (state) => {
      if (state.status !== 'paused') throw invalid(`rollout ${rolloutId} is ${state.status}; only a paused rollout resumes`);
      state.status = 'running';
      delete state.pausedReason;
      await this.note(state, 'resumed by an operator');
      const wave = state.waves[state.currentWave];
      if (!wave || failedCount(wave) / wave.gatewayIds.length > state.plan.failureThreshold) {
        await this.advance(state); // the operator accepts the failures of the wave that paused
        return structuredClone(state);
      }
      // A late failure in an earlier wave paused it: the wave under way goes on waiting for its gateways.
      this.armDeadline(state);
      await this.judgeWave(state, false);
      return structuredClone(state);
    });
  }

  abort(rolloutId: string): Promise<RolloutState> {
    return this.change(rolloutId, async (state) => {
      if (state.status !== 'running' && state.status !== 'paused') throw invalid(`rollout ${rolloutId} is ${state.status}; it cannot be aborted`);
      this.clearDeadline(rolloutId);
      state.status = 'aborted';
      await this.note(state, 'aborted by an operator; gateways keep what they have');
      return structuredClone(state);
    });
  }

  /** Makes the previous version the target again for every gateway the rollout reached. */
  rollback(rolloutId: string): Promise<RolloutState> {
    return this.change(rolloutId, async (state) => {
      const previous = state.plan.previous;
      if (!previous) throw invalid(`rollout ${rolloutId} has no previous version to roll back to`);
      if (state.status === 'rolled_back') throw invalid(`rollout ${rolloutId} is rolled back already`);
      this.clearDeadline(rolloutId);
      const reached = state.waves.filter((w) => w.startedAt !== undefined).flatMap((w) => w.gatewayIds);
      state.status = 'rolled_back';
      await this.note(state, `rolled back by an operator: ${reached.length} gateways target ${previous.version} again`);
      for (const gatewayId of reached) this.deps.desired.setTarget(gatewayId, previous, rolloutId);
      return structuredClone(state);
    });
  }

  /** Resolves once every change queued so far (a fired deadline too) is done. */
  settled(): Promise<void> {
    return this.serial(() => Promise.resolve());
  }

  /** Every rollout this controller knows, newest plan last. */
  list(): RolloutState[] {
    return Array.from(this.rollouts.values(), (state) => structuredClone(state));
  }

  view(rolloutId: string): RolloutState {
    return structuredClone(this.get(rolloutId));
  }

  /** Runs `work` after every change queued before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Changes a copy of the rollout, which replaces it once `work` has saved what it changed. */
  private change<T>(rolloutId: string, work: (state: RolloutState) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const state = structuredClone(this.get(rolloutId));
      const result = await work(state);
      this.rollouts.set(rolloutId, state);
      return result;
    });
  }

  private async startWave(state: RolloutState, index: number): Promise<void> {
    const wave = state.waves[index];
    if (!wave) return;
    state.currentWave = index;
    wave.startedAt = new Date(this.deps.now()).toISOString();
    wave.deadlineAt = this.deps.now() + state.plan.waveTimeoutMs;
    await this.note(state, `wave ${index + 1} of ${state.waves.length} started: ${wave.gatewayIds.length} gateways`);
    for (const gatewayId of wave.gatewayIds) this.deps.desired.setTarget(gatewayId, state.plan.target, state.plan.rolloutId);
    this.armDeadline(state);
    await this.judgeWave(state, false); // reports may have arrived early (a gateway that had it already)
  }

  /** Pauses when the failures already pass the threshold; moves on when every gateway reported or the deadline passed. */
  private async judgeWave(state: RolloutState, isDeadline: boolean): Promise<void> {
    const index = state.currentWave;
    const wave = state.waves[index];
    if (!wave || state.status !== 'running') return;
    if (isDeadline) {
      for (const gatewayId of wave.gatewayIds) wave.results[gatewayId] ??= { outcome: 'timed_out', reason: `no report within ${state.plan.waveTimeoutMs} ms` };
    }
    const results = Object.values(wave.results);
    const failed = failedCount(wave);
    const size = wave.gatewayIds.length;
    if (failed / size > state.plan.failureThreshold) {
      this.clearDeadline(state.plan.rolloutId);
      state.status = 'paused';
      state.pausedReason = `wave ${index + 1}: ${failed} of ${size} gateways failed (${percent(failed / size)} > threshold ${percent(state.plan.failureThreshold)})`;
      this.deps.logger.warn({ rolloutId: state.plan.rolloutId, wave: index + 1, failed, size }, 'rollout paused');
      await this.note(state, `paused: ${state.pausedReason}`);
      return;
    }
    if (results.length < size) {
      await this.save(state);
      return;
    }
    this.clearDeadline(state.plan.rolloutId);
    await this.note(state, `wave ${index + 1} finished: ${size - failed} of ${size} gateways updated`);
    await this.advance(state);
  }

  /** A gateway of a finished wave went from done to a failure: noted, and past the threshold the rollout pauses. */
  private async judgeLateFailure(state: RolloutState, wave: WaveState, gatewayId: string): Promise<void> {
    const result = wave.results[gatewayId];
    const index = state.waves.indexOf(wave);
    const failed = failedCount(wave);
    const size = wave.gatewayIds.length;
    const event = `gateway ${gatewayId} of wave ${index + 1} reported ${result?.outcome ?? ''} after done${result?.reason ? `: ${result.reason}` : ''}`;
    if ((state.status !== 'running' && state.status !== 'completed') || failed / size <= state.plan.failureThreshold) {
      await this.note(state, event);
      return;
    }
    this.clearDeadline(state.plan.rolloutId);
    const wasCompleted = state.status === 'completed';
    state.history.push({ at: new Date(this.deps.now()).toISOString(), event });
    state.status = 'paused';
    state.pausedReason = `wave ${index + 1}: ${failed} of ${size} gateways failed (${percent(failed / size)} > threshold ${percent(state.plan.failureThreshold)}), after the wave had finished`;
    this.deps.logger.warn({ rolloutId: state.plan.rolloutId, wave: index + 1, failed, size, gatewayId, wasCompleted }, 'rollout paused by a late failure');
    await this.note(state, `paused: ${state.pausedReason}`);
  }

  private async advance(state: RolloutState): Promise<void> {
    const next = state.waves.findIndex((w) => w.startedAt === undefined);
    if (next >= 0) {
      await this.startWave(state, next);
      return;
    }
    state.status = 'completed';
    this.deps.logger.info({ rolloutId: state.plan.rolloutId }, 'rollout completed');
    await this.note(state, 'completed');
  }

  private armDeadline(state: RolloutState): void {
    const wave = state.waves[state.currentWave];
    if (wave?.deadlineAt === undefined) return;
    const rolloutId = state.plan.rolloutId;
    this.clearDeadline(rolloutId);
    const handle = this.deps.timers.setTimeout(() => {
      this.deadlines.delete(rolloutId);
      this.change(rolloutId, (current) => this.judgeWave(current, true)).catch((err: unknown) => {
        this.deps.logger.error({ err, rolloutId }, 'rollout wave deadline not handled');
      });
    }, Math.max(0, wave.deadlineAt - this.deps.now()));
    this.deadlines.set(rolloutId, handle);
  }

  private clearDeadline(rolloutId: string): void {
    const handle = this.deadlines.get(rolloutId);
    if (handle === undefined) return;
    this.deps.timers.clearTimeout(handle);
    this.deadlines.delete(rolloutId);
  }

  private note(state: RolloutState, event: string): Promise<void> {
    state.history.push({ at: new Date(this.deps.now()).toISOString(), event });
    return this.save(state);
  }

  private async save(state: RolloutState): Promise<void> {
    await this.deps.repository.save(state);
    this.deps.changed?.(structuredClone(state));
  }

  private get(rolloutId: string): RolloutState {
    const state = this.rollouts.get(rolloutId);
    if (!state) throw invalid(`there is no rollout ${rolloutId}`);
    return state;
  }
}

function planProblems(plan: RolloutPlan): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(plan.rolloutId)) problems.push(`rolloutId: must be 1-64 letters, digits, '.', '_' or '-' (got ${JSON.stringify(plan.rolloutId)})`);
  if (plan.gatewayIds.length === 0) problems.push('gatewayIds: the selector picked no gateway');
  if (new Set(plan.gatewayIds).size !== plan.gatewayIds.length) problems.push('gatewayIds: lists a gateway twice');
  if (!(plan.failureThreshold >= 0 && plan.failureThreshold < 1)) problems.push(`failureThreshold: must be >= 0 and < 1 (got ${plan.failureThreshold})`);
  if (!(Number.isSafeInteger(plan.waveTimeoutMs) && plan.waveTimeoutMs > 0)) problems.push(`waveTimeoutMs: must be a whole number > 0 (got ${plan.waveTimeoutMs})`);
  if (plan.previous && plan.previous.kind !== plan.target.kind) problems.push(`previous.kind: must be the target's kind ${plan.target.kind} (got ${plan.previous.kind})`);
  return problems;
}

const failedCount = (wave: WaveState): number => Object.values(wave.results).filter((r) => isFailure(r.outcome)).length;

const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;

function invalid(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.requestInvalid, message);
}
