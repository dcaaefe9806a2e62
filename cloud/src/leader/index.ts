export {
  createLeaderElection,
  DEFAULT_INTERVAL_MS,
  LEADER_LOCK_KEY,
  LeaderElection,
} from './leader-election.js';
export type {
  LeaderElectionDeps,
  LeaderElectionEvents,
  LeaderElectionOptions,
} from './leader-election.js';
export { leaderPart, SoleLeadership } from './leadership.js';
export type { Leadership } from './leadership.js';
export { registerLeaderMetrics } from './metrics.js';
export { SingletonWork } from './singleton-work.js';
export type { SingletonJob, SingletonJobState, SingletonWorkDeps } from './singleton-work.js';
