import { join } from 'node:path';
import type { ActionDefinition } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { cacheSweepJob, cacheSweepSchedule, eraseSemanticCacheTenant } from './cache/index.js';
import { sendCostAlert } from './jobs/cost-alert.js';
import { usageRollupJob, usageRollupSchedule } from './jobs/usage-rollup.job.js';
import { type LlmOptions, llmServices } from './llm.context.js';
import { llmRoutes } from './llm.routes.js';

export const llmActions: readonly ActionDefinition[] = [
  { code: 'llm.use', description: 'Call models through the gateway', roles: ['user'] },
  { code: 'llm.admin', description: 'Manage providers, keys, models, routing rules and budgets', roles: [] },
  {
    code: 'llm.usage.read',
    description: 'Read LLM usage reports (org admins: their org)',
    roles: ['org_admin'],
  },
];

/** The LLM gateway: provider registry, one metered call path, embeddings, semantic cache. */
export function createLlmModule(options: LlmOptions = {}): KeelModule {
  return {
    name: 'llm',
    layer: 'shared',
    dependsOn: ['kernel', 'identity', 'plans', 'notify'],
    migrations: join(projectRoot, 'src', 'shared', 'llm', 'migrations'),
    actions: llmActions,
    routes: { prefix: '/llm', plugin: (ctx) => llmRoutes(llmServices(ctx, options)) },
    jobs: (ctx) => [
      usageRollupJob(ctx.db, ctx.log, (alert) => sendCostAlert(ctx, alert)),
      cacheSweepJob(llmServices(ctx, options).semanticCache),
    ],
    schedules: [usageRollupSchedule, cacheSweepSchedule],
    // The request log keeps the fact and the cost, not who: the ids and any stored text go.
    eraseUser: async (tx, userId) => {
      const requests = await tx.query(
        'update llm.requests set user_id = null, prompt_text = null, response_text = null where user_id = $1 returning id',
        [userId],
      );
      const budgets = await tx.query(
        `delete from llm.budgets where subject_kind = 'user' and subject_id = $1 returning subject_id`,
        [userId],
      );
      const cached = await eraseSemanticCacheTenant(tx, `user:${userId}`);
      return { requests: requests.length, budgets: budgets.length, semantic_cache: cached };
    },
    encryptedColumns: [
      { schema: 'llm', table: 'api_keys', column: 'key_encrypted', idColumn: 'id', aad: (id) => id },
    ],
  };
}

export const llmModule: KeelModule = createLlmModule();
