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
 */
export class RolloutController {
  private readonly rollouts = new Map<string, RolloutState>();
  private readonly deadlines = new Map<string, unknown>();

  constructor(private readonly deps: RolloutControllerDeps) {}

  /** Loads the saved rollouts and re-arms the deadline of each running wave (after a restart or a leader change). */
  start(): Promise<void> {
    for (const state of this.deps.repository.loadAll()) {
      this.rollouts.set(state.plan.rolloutId, state);
      if (state.status === 'running') this.armDeadline(state);
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    for (const handle of this.deadlines.values()) this.deps.timers.clearTimeout(handle);
    this.deadlines.clear();
    return Promise.resolve();
  }

  create(plan: RolloutPlan): RolloutState {
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
    this.rollouts.set(plan.rolloutId, state);
    this.note(state, `created: ${plan.gatewayIds.length} gateways in ${waves.length} waves (${waves.map((w) => w.gatewayIds.length).join(', ')})`);
    this.startWave(state, 0);
    return structuredClone(state);
  }

  /**
   * A gateway's OTA outcome for the rollout's target; reports for other waves' gateways are kept
   * too, and the same report again changes nothing. A gateway that reported done and fails later
   * (flows rolled back after a crash loop) is judged again with its finished wave: past the
   * threshold, a running or completed rollout pauses (docs/decisions/0103).
   */
  report(rolloutId: string, gatewayId: string, outcome: GatewayOutcome, reason?: string): void {
    const state = this.get(rolloutId);
    const wave = state.waves.find((w) => w.gatewayIds.includes(gatewayId) && w.startedAt !== undefined);
    if (!wave) throw invalid(`gateway ${gatewayId} has not been asked to take part in rollout ${rolloutId}`);
    const before = wave.results[gatewayId];
    if (before?.outcome === outcome && before.reason === reason) return;
    wave.results[gatewayId] = reason === undefined ? { outcome } : { outcome, reason };
    const isUnderWay = state.status === 'running' && wave === state.waves[state.currentWave];
    if (isUnderWay) this.judgeWave(state, false);
    else if (before?.outcome === 'done' && isFailure(outcome)) this.judgeLateFailure(state, wave, gatewayId);
    else this.save(state);
  }

  resume(rolloutId: string): RolloutState {
    const state = this.get(rolloutId);
    if (state.status !== 'paused') throw invalid(`rollout ${rolloutId} is ${state.status}; only a paused rollout resumes`);
    state.status = 'running';
    delete state.pausedReason;
    this.note(state, 'resumed by an operator');
    const wave = state.waves[state.currentWave];
    if (!wave || failedCount(wave) / wave.gatewayIds.length > state.plan.failureThreshold) {
      this.advance(state); // the operator accepts the failures of the wave that paused
      return structuredClone(state);
    }
    // A late failure in an earlier wave paused it: the wave under way goes on waiting for its gateways.
    this.armDeadline(state);
    this.judgeWave(state, false);
    return structuredClone(state);
  }

  abort(rolloutId: string): RolloutState {
    const state = this.get(rolloutId);
    if (state.status !== 'running' && state.status !== 'paused') throw invalid(`rollout ${rolloutId} is ${state.status}; it cannot be aborted`);
    this.clearDeadline(rolloutId);
    state.status = 'aborted';
    this.note(state, 'aborted by an operator; gateways keep what they have');
    return structuredClone(state);
  }

  /** Makes the previous version the target again for every gateway the rollout reached. */
  rollback(rolloutId: string): RolloutState {
    const state = this.get(rolloutId);
    const previous = state.plan.previous;
    if (!previous) throw invalid(`rollout ${rolloutId} has no previous version to roll back to`);
    if (state.status === 'rolled_back') throw invalid(`rollout ${rolloutId} is rolled back already`);
    this.clearDeadline(rolloutId);
    const reached = state.waves.filter((w) => w.startedAt !== undefined).flatMap((w) => w.gatewayIds);
    for (const gatewayId of reached) this.deps.desired.setTarget(gatewayId, previous, rolloutId);
    state.status = 'rolled_back';
    this.note(state, `rolled back by an operator: ${reached.length} gateways target ${previous.version} again`);
    return structuredClone(state);
  }

  /** Every rollout this controller knows, newest plan last. */
  list(): RolloutState[] {
    return Array.from(this.rollouts.values(), (state) => structuredClone(state));
  }

  view(rolloutId: string): RolloutState {
    return structuredClone(this.get(rolloutId));
  }

  private startWave(state: RolloutState, index: number): void {
    const wave = state.waves[index];
    if (!wave) return;
    state.currentWave = index;
    wave.startedAt = new Date(this.deps.now()).toISOString();
    wave.deadlineAt = this.deps.now() + state.plan.waveTimeoutMs;
    this.note(state, `wave ${index + 1} of ${state.waves.length} started: ${wave.gatewayIds.length} gateways`);
    for (const gatewayId of wave.gatewayIds) this.deps.desired.setTarget(gatewayId, state.plan.target, state.plan.rolloutId);
    this.armDeadline(state);
    this.judgeWave(state, false); // reports may have arrived early (a gateway that had it already)
  }

  /** Pauses when the failures already pass the threshold; moves on when every gateway reported or the deadline passed. */
  private judgeWave(state: RolloutState, isDeadline: boolean): void {
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
      this.note(state, `paused: ${state.pausedReason}`);
      return;
    }
    if (results.length < size) {
      this.save(state);
      return;
    }
    this.clearDeadline(state.plan.rolloutId);
    this.note(state, `wave ${index + 1} finished: ${size - failed} of ${size} gateways updated`);
    this.advance(state);
  }

  /** A gateway of a finished wave went from done to a failure: noted, and past the threshold the rollout pauses. */
  private judgeLateFailure(state: RolloutState, wave: WaveState, gatewayId: string): void {
    const result = wave.results[gatewayId];
    const index = state.waves.indexOf(wave);
    this.note(state, `gateway ${gatewayId} of wave ${index + 1} reported ${result?.outcome ?? ''} after done${result?.reason ? `: ${result.reason}` : ''}`);
    if (state.status !== 'running' && state.status !== 'completed') return;
    const failed = failedCount(wave);
    const size = wave.gatewayIds.length;
    if (failed / size <= state.plan.failureThreshold) return;
    this.clearDeadline(state.plan.rolloutId);
    const wasCompleted = state.status === 'completed';
    state.status = 'paused';
    state.pausedReason = `wave ${index + 1}: ${failed} of ${size} gateways failed (${percent(failed / size)} > threshold ${percent(state.plan.failureThreshold)}), after the wave had finished`;
    this.deps.logger.warn({ rolloutId: state.plan.rolloutId, wave: index + 1, failed, size, gatewayId, wasCompleted }, 'rollout paused by a late failure');
    this.note(state, `paused: ${state.pausedReason}`);
  }

  private advance(state: RolloutState): void {
    const next = state.waves.findIndex((w) => w.startedAt === undefined);
    if (next >= 0) {
      this.startWave(state, next);
      return;
    }
    state.status = 'completed';
    this.deps.logger.info({ rolloutId: state.plan.rolloutId }, 'rollout completed');
    this.note(state, 'completed');
  }

  private armDeadline(state: RolloutState): void {
    const wave = state.waves[state.currentWave];
    if (wave?.deadlineAt === undefined) return;
    this.clearDeadline(state.plan.rolloutId);
    const handle = this.deps.timers.setTimeout(() => {
      this.deadlines.delete(state.plan.rolloutId);
      this.judgeWave(state, true);
    }, Math.max(0, wave.deadlineAt - this.deps.now()));
    this.deadlines.set(state.plan.rolloutId, handle);
  }

  private clearDeadline(rolloutId: string): void {
    const handle = this.deadlines.get(rolloutId);
    if (handle === undefined) return;
    this.deps.timers.clearTimeout(handle);
    this.deadlines.delete(rolloutId);
  }

  private note(state: RolloutState, event: string): void {
    state.history.push({ at: new Date(this.deps.now()).toISOString(), event });
    this.save(state);
  }

  private save(state: RolloutState): void {
    this.deps.repository.save(state);
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
