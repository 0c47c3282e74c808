export {
  type LeaderElection,
  type LeaderElectionOptions,
  leadershipHistory,
  liveNodes,
  SCHEDULER_LOCK_KEY,
  startLeaderElection,
} from './leader.js';
export type { LeadershipEvent, LeadershipEventKind, LiveNode } from './leader.repository.js';
export { pruneNodesJob, pruneNodesSchedule } from './prune-nodes.job.js';
