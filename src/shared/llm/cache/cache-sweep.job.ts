import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import type { SemanticCache } from './semantic-cache.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Hourly: delete expired semantic cache entries. */
    'llm.cache.sweep': Record<string, never>;
  }
}

/**
 * Deletes the semantic cache's expired rows (lookups already ignore them; this frees the space).
 * Idempotent: a second run, or one on another node, finds nothing left to delete.
 */
export function cacheSweepJob(cache: SemanticCache): JobDefinition<'llm.cache.sweep'> {
  return {
    name: 'llm.cache.sweep',
    retryLimit: 2,
    handler: async function sweepSemanticCache() {
      if (!(await cache.available()))
        return { status: 'skipped', reason: 'semantic cache off (no pgvector)' };
      return { status: 'done', deleted: await cache.sweep() };
    },
  };
}

export const cacheSweepSchedule: ScheduleDefinition<'llm.cache.sweep'> = {
  name: 'llm.cache.sweep.hourly',
  cron: '17 * * * *',
  job: 'llm.cache.sweep',
  payload: {},
};
