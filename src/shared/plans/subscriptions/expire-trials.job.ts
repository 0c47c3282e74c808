import type { SqlConnection } from '../../../kernel/db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import { endExpiredTrials } from './subscriptions.repository.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Daily: users whose trial has ended go back to 'free' (the history trigger logs each). */
    'plans.trials.expire': Record<string, never>;
  }
}

export function expireTrialsJob(
  db: SqlConnection,
  now: () => Date = () => new Date(),
): JobDefinition<'plans.trials.expire'> {
  return {
    name: 'plans.trials.expire',
    retryLimit: 3,
    // Idempotent: a second run finds no active trial past its end.
    handler: async function expireTrials() {
      const ended = await endExpiredTrials(db, now());
      return { status: 'done', ended: ended.length };
    },
  };
}

export const expireTrialsSchedule: ScheduleDefinition<'plans.trials.expire'> = {
  name: 'plans.trials.expire.daily',
  // Shortly after midnight UTC, when day counters roll over too.
  cron: '5 0 * * *',
  timezone: 'UTC',
  job: 'plans.trials.expire',
  payload: {},
};
