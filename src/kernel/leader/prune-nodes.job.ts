import type { SqlConnection } from '../db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../jobs/jobs.types.js';
import { pruneNodes } from './leader.repository.js';

declare module '../jobs/index.js' {
  interface JobPayloads {
    /** Daily: forget processes that stopped long ago. */
    'kernel.nodes.prune': { olderThanDays: number };
  }
}

export function pruneNodesJob(db: SqlConnection): JobDefinition<'kernel.nodes.prune'> {
  return {
    name: 'kernel.nodes.prune',
    retryLimit: 2,
    handler: async function pruneStoppedNodes(payload) {
      const deleted = await pruneNodes(db, payload.olderThanDays);
      return { status: 'done', deleted };
    },
  };
}

export const pruneNodesSchedule: ScheduleDefinition<'kernel.nodes.prune'> = {
  name: 'kernel.nodes.prune.daily',
  cron: '17 3 * * *',
  job: 'kernel.nodes.prune',
  payload: { olderThanDays: 7 },
};
