import type { GatewayOutcome } from '../records/index.js';

export type { GatewayOutcome, RolloutPlan, RolloutState, RolloutStatus, WaveState } from '../records/index.js';

export const isFailure = (outcome: GatewayOutcome): boolean => outcome !== 'done';
