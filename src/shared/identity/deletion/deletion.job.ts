import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import type { DeletionService } from './deletion.service.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Hourly: erase the users whose deletion grace period is over. */
    'identity.deletion.run': Record<string, never>;
  }
}

export function deletionJob(deletion: DeletionService): JobDefinition<'identity.deletion.run'> {
  return {
    name: 'identity.deletion.run',
    retryLimit: 2,
    handler: async function eraseDueUsers() {
      const { completed, failed } = await deletion.runDue();
      return { status: 'done', completed, failed };
    },
  };
}

export const deletionSchedule: ScheduleDefinition<'identity.deletion.run'> = {
  name: 'identity.deletion.hourly',
  cron: '23 * * * *',
  job: 'identity.deletion.run',
  payload: {},
};
