import { join } from 'node:path';
import { keyRotationJob } from './kernel/crypto/index.js';
import type { MigrationSource } from './kernel/db/index.js';
import { jobsReadAction } from './kernel/http/index.js';
import type { AnyJobDefinition } from './kernel/jobs/index.js';
import { pruneNodesJob, pruneNodesSchedule } from './kernel/leader/index.js';
import type { BackgroundWorker, KeelModule, ModuleContext } from './kernel/module/index.js';
import { orderModules, userErasersOf } from './kernel/module/index.js';
import { projectRoot } from './kernel/paths.js';
import { commitsModule } from './modules/commits/index.js';
import { identityModule } from './shared/identity/index.js';
import { knowledgeModule } from './shared/knowledge/index.js';
import { llmModule } from './shared/llm/index.js';
import { notifyModule } from './shared/notify/index.js';
import { plansModule } from './shared/plans/index.js';

/** The kernel's own module: its tables (nodes, leadership events, key rotations) and jobs. */
export const kernelModule: KeelModule = {
  name: 'kernel',
  layer: 'kernel',
  dependsOn: [],
  migrations: join(projectRoot, 'src', 'kernel', 'migrations'),
  jobs: (ctx) => [
    keyRotationJob({ db: ctx.db, ring: ctx.secrets.ring, columns: ctx.encryptedColumns }),
    pruneNodesJob(ctx.db),
  ],
  schedules: [pruneNodesSchedule],
  actions: [
    { code: jobsReadAction, description: 'See background job queues and dead letters', roles: ['admin'] },
  ],
};

/**
 * Every module of this build, listed explicitly (no auto-loading): registration order is visible
 * here, and `orderModules` checks that dependencies point down and have no cycles.
 */
export const allModules: readonly KeelModule[] = orderModules([
  kernelModule,
  identityModule,
  plansModule,
  llmModule,
  notifyModule,
  knowledgeModule,
  commitsModule,
]);

/** Every module's job handlers, each built with a context whose log names its module. */
export function jobDefinitionsOf(modules: readonly KeelModule[], context: ModuleContext): AnyJobDefinition[] {
  return modules.flatMap((m) => m.jobs?.({ ...context, log: context.log.child({ module: m.name }) }) ?? []);
}

/** Every module's background workers, each built with a context whose log names its module. */
export function backgroundWorkersOf(
  modules: readonly KeelModule[],
  context: ModuleContext,
): BackgroundWorker[] {
  return modules.flatMap(
    (m) => m.workers?.({ ...context, log: context.log.child({ module: m.name }) }) ?? [],
  );
}

/** The context every module of `modules` receives: `base` plus what is gathered from all modules. */
export function moduleContextOf(
  modules: readonly KeelModule[],
  base: Omit<ModuleContext, 'encryptedColumns' | 'userErasers'>,
): ModuleContext {
  const context: ModuleContext = {
    ...base,
    encryptedColumns: encryptedColumnsOf(modules),
    userErasers: userErasersOf(modules, () => context),
  };
  return context;
}

export function encryptedColumnsOf(modules: readonly KeelModule[]) {
  return modules.flatMap((m) => m.encryptedColumns ?? []);
}

export function migrationSources(modules: readonly KeelModule[]): MigrationSource[] {
  return modules.flatMap((m) => (m.migrations ? [{ module: m.name, dir: m.migrations }] : []));
}
