import type { SqlConnection } from '../../../kernel/db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import { pruneCounters } from './usage.repository.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Daily: forget usage counters of periods long past (nothing reads them). */
    'plans.usage.prune': { keepDays: number; keepMonths: number };
  }
}

export function pruneUsageJob(
  db: SqlConnection,
  now: () => Date = () => new Date(),
): JobDefinition<'plans.usage.prune'> {
  return {
    name: 'plans.usage.prune',
    retryLimit: 3,
    handler: async function pruneUsage({ keepDays, keepMonths }) {
      const today = now();
      const dayBefore = new Date(
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - keepDays),
      );
      const monthBefore = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - keepMonths, 1));
      const deleted = await pruneCounters(
        db,
        dayBefore.toISOString().slice(0, 10),
        monthBefore.toISOString().slice(0, 10),
      );
      return { status: 'done', deleted };
    },
  };
}

export const pruneUsageSchedule: ScheduleDefinition<'plans.usage.prune'> = {
  name: 'plans.usage.prune.daily',
  cron: '35 0 * * *',
  timezone: 'UTC',
  job: 'plans.usage.prune',
  payload: { keepDays: 90, keepMonths: 24 },
};
