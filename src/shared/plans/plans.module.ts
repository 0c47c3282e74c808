import { join, resolve } from 'node:path';
import type { ActionDefinition } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { erasePlansUser } from './plans.erase.js';
import { type PlansHooksOptions, plansAppHooks } from './plans.hooks.js';
import { actions, plansRoutes } from './plans.routes.js';
import { expireTrialsJob, expireTrialsSchedule } from './subscriptions/expire-trials.job.js';
import { pruneUsageJob, pruneUsageSchedule } from './usage/prune-usage.job.js';

const everyone = ['user', 'admin', 'org_admin', 'enterprise'];

export const plansActions: readonly ActionDefinition[] = [
  { code: actions.read, description: 'See your own plan, trial and usage', roles: everyone },
  {
    code: actions.manage,
    description: "Set any user's plan or trial, read plan history, edit request rate limits",
    roles: ['admin'],
  },
  { code: actions.creditsRead, description: 'See your own credit balance and ledger', roles: everyone },
  { code: actions.creditsManage, description: "Grant credits and read any owner's ledger", roles: ['admin'] },
  { code: actions.rewardsRead, description: 'Get your referral code', roles: everyone },
  { code: actions.rewardsRedeem, description: "Redeem another user's referral code", roles: everyone },
];

export type PlansModuleOptions = Partial<PlansHooksOptions>;

/**
 * The catalog file: `options.catalogPath`, else the `KEEL_PLAN_CATALOG` setting (environment or
 * keel.config.yml; relative to the working directory), else `config/plan_catalog.yml` beside
 * package.json.
 */
export function catalogPathFrom(
  options: PlansModuleOptions,
  settings: Readonly<Record<string, string | undefined>>,
): string {
  if (options.catalogPath) return resolve(options.catalogPath);
  if (settings.KEEL_PLAN_CATALOG) return resolve(settings.KEEL_PLAN_CATALOG);
  return join(projectRoot, 'config', 'plan_catalog.yml');
}

/** The plans module; tests pass options (a temporary catalog file, a fixed clock, small limits). */
export function createPlansModule(options: PlansModuleOptions = {}): KeelModule {
  const now = options.now ?? (() => new Date());
  return {
    name: 'plans',
    layer: 'shared',
    dependsOn: ['kernel', 'identity'],
    migrations: join(projectRoot, 'src', 'shared', 'plans', 'migrations'),
    actions: plansActions,
    appHooks: (ctx) =>
      plansAppHooks(ctx, { ...options, now, catalogPath: catalogPathFrom(options, ctx.config.settings) }),
    routes: { prefix: '/plans', plugin: plansRoutes },
    jobs: (ctx) => [expireTrialsJob(ctx.db, now), pruneUsageJob(ctx.db, now)],
    schedules: [expireTrialsSchedule, pruneUsageSchedule],
    eraseUser: (tx, userId) => erasePlansUser(tx, userId),
  };
}

export const plansModule: KeelModule = createPlansModule();
