// Public API of the rollouts capability (STYLE §2.6): named exports only.
export { RolloutController } from './rollout-controller.js';
export type { RolloutControllerDeps } from './rollout-controller.js';
export { DEFAULT_WAVE_FRACTIONS, planWaves, selectGateways } from './plan.js';
export type { ArtifactRef, FleetMember, TargetSelector } from './plan.js';
export { fileRolloutRepository } from './file-repository.js';
export type { DesiredFirmwareTargets, RolloutRepository, Timers } from './ports.js';
export { isFailure } from './rollout-state.js';
export type { GatewayOutcome, RolloutPlan, RolloutState, RolloutStatus, WaveState } from './rollout-state.js';
export { registerRolloutMetrics } from './metrics.js';
