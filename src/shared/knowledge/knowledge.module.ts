import { join } from 'node:path';
import type { ActionDefinition } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { ingestJob } from './ingest/ingest.job.js';
import { purgeJob, purgeSchedule, requeueJob, requeueSchedule } from './ingest/maintenance.jobs.js';
import { type KnowledgeOptions, knowledgeServices } from './knowledge.context.js';
import { eraseKnowledgeUser } from './knowledge.erase.js';
import { actions } from './knowledge.http.js';
import { knowledgeRoutes } from './knowledge.routes.js';

const everyone = ['user', 'admin', 'org_admin', 'enterprise'];

export const knowledgeActions: readonly ActionDefinition[] = [
  {
    code: actions.read,
    description: 'See the knowledge bases you may read, their documents, chunks and exports',
    roles: everyone,
  },
  {
    code: actions.write,
    description: 'Create and change knowledge bases, upload, delete and restore documents, share bases',
    roles: everyone,
  },
  {
    code: actions.search,
    description: 'Search the documents of the knowledge bases you may read',
    roles: everyone,
  },
];

/** Knowledge: knowledge bases, documents, extraction, chunking and BM25 / vector / hybrid search. */
export function createKnowledgeModule(options: KnowledgeOptions = {}): KeelModule {
  const services = (ctx: Parameters<typeof knowledgeServices>[0]) => knowledgeServices(ctx, options);
  return {
    name: 'knowledge',
    layer: 'shared',
    dependsOn: ['kernel', 'identity', 'plans', 'llm'],
    migrations: join(projectRoot, 'src', 'shared', 'knowledge', 'migrations'),
    actions: knowledgeActions,
    routes: { prefix: '/api', plugin: (ctx) => knowledgeRoutes(ctx, services(ctx), options.events) },
    jobs: (ctx) => {
      const knowledge = services(ctx);
      const days = Number(ctx.config.settings.KNOWLEDGE_PURGE_DAYS ?? 30);
      return [
        ingestJob(knowledge.ingest),
        purgeJob({ db: ctx.db, log: ctx.log, storage: knowledge.storage, defaultDays: days }),
        requeueJob({ db: ctx.db, enqueue: knowledge.enqueue }),
      ];
    },
    schedules: [purgeSchedule, requeueSchedule],
    // Not a loop: the worker role's stop is where knowledge's ingest sender (used by the requeue
    // job) is closed, before the database.
    workers: (ctx) => [{ name: 'knowledge.ingest-sender', start() {}, stop: () => services(ctx).close() }],
    eraseUser: (tx, userId) => eraseKnowledgeUser(tx, userId),
  };
}

export const knowledgeModule: KeelModule = createKnowledgeModule();
