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
