import type { FastifyPluginAsync } from 'fastify';
import type { KeelConfig } from '../config/index.js';
import type { EncryptedColumn, Secrets } from '../crypto/index.js';
import type { Database, SqlConnection } from '../db/index.js';
import type { AccessProvider, ActionDefinition } from '../http/access.js';
import type { AnyJobDefinition, AnyScheduleDefinition } from '../jobs/jobs.types.js';
import type { Log } from '../log/index.js';

/** modules → shared → kernel: a module may depend only on its own layer or lower ones. */
export type Layer = 'kernel' | 'shared' | 'module';
const layerRank: Record<Layer, number> = { kernel: 0, shared: 1, module: 2 };

/** What a module's routes and services receive; passed explicitly, never looked up globally. */
export interface ModuleContext {
  config: KeelConfig;
  db: Database;
  log: Log;
  secrets: Secrets;
  /** Every module's encrypted columns (key rotation walks them). */
  encryptedColumns: readonly EncryptedColumn[];
  /** Every module's GDPR erasure hook, dependents first (the deletion job runs them). */
  userErasers: readonly UserEraser[];
}

/** One module's erasure hook, bound to its context. */
export interface UserEraser {
  module: string;
  erase(tx: SqlConnection, userId: string): Promise<Record<string, number>>;
}

/**
 * The erasure hooks of `modules`, dependents first: a module's rows go before the rows of the
 * modules it depends on. `contextOf` is read when a hook runs, so it may be built afterwards.
 */
export function userErasersOf(modules: readonly KeelModule[], contextOf: () => ModuleContext): UserEraser[] {
  return [...modules].reverse().flatMap((m) => {
    const eraseUser = m.eraseUser;
    return eraseUser
      ? [{ module: m.name, erase: (tx: SqlConnection, userId: string) => eraseUser(tx, userId, contextOf()) }]
      : [];
  });
}

/** One module's declaration: its `index.ts` exports one of these. */
export interface KeelModule {
  name: string;
  layer: Layer;
  dependsOn: readonly string[];
  /** Absolute path of the module's drizzle-kit migrations folder. */
  migrations?: string;
  /** The module's routes, registered as an encapsulated plugin under `prefix`. */
  routes?: { prefix: string; plugin: (ctx: ModuleContext) => FastifyPluginAsync };
  /** The module's job handlers, built with their dependencies. */
  jobs?: (ctx: ModuleContext) => readonly AnyJobDefinition[];
  schedules?: readonly AnyScheduleDefinition[];
  /**
   * Long-running loops of the worker role (a delivery dispatcher, ...), for work that needs more
   * than a job per item: its own leases, per-attempt delays, rate limits. Started after the job
   * queue, stopped before it.
   */
  workers?: (ctx: ModuleContext) => readonly BackgroundWorker[];
  /** The RBAC actions this module's routes declare; the identity module seeds them. */
  actions?: readonly ActionDefinition[];
  /**
   * Access control for every route (only the identity module provides it), given every module's
   * declared actions so it can seed its catalog and refuse routes that use an undeclared one.
   */
  access?: (ctx: ModuleContext, actions: readonly DeclaredAction[]) => AccessProvider;
  /**
   * App-wide hooks (rate limits, ...), registered unencapsulated after the access check, so they
   * see `request.principal` on every route.
   */
  appHooks?: (ctx: ModuleContext) => FastifyPluginAsync;
  /**
   * GDPR erasure (seed 000 `10_del_req`): delete or anonymize everything this module holds about
   * `userId`, inside `tx`. Returns counts per table (never data) for the deletion request's report.
   */
  eraseUser?: (tx: SqlConnection, userId: string, ctx: ModuleContext) => Promise<Record<string, number>>;
  /** Text columns of this module's tables that hold ciphertexts (see kernel/crypto). */
  encryptedColumns?: readonly EncryptedColumn[];
}

/** A loop that runs in worker processes; `stop` lets work in progress finish or hands it back. */
export interface BackgroundWorker {
  name: string;
  start(): void;
  stop(options: { graceMs: number }): Promise<void>;
}

/** An action with the module that declared it. */
export interface DeclaredAction extends ActionDefinition {
  module: string;
}

/** Every action the modules declare; two modules declaring one code is a build error. */
export function declaredActions(modules: readonly KeelModule[]): DeclaredAction[] {
  const seen = new Map<string, string>();
  return modules.flatMap((m) =>
    (m.actions ?? []).map((action) => {
      const owner = seen.get(action.code);
      if (owner)
        throw new ModuleGraphError(`action "${action.code}" is declared by both ${owner} and ${m.name}`);
      seen.set(action.code, m.name);
      return { ...action, module: m.name };
    }),
  );
}

export class ModuleGraphError extends Error {
  override name = 'ModuleGraphError';
}

/**
 * Checks that every dependency exists, points down (or across the same layer), and that there are
 * no cycles; returns the modules in dependency order (dependencies first).
 */
export function orderModules(modules: readonly KeelModule[]): KeelModule[] {
  const byName = new Map<string, KeelModule>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new ModuleGraphError(`module "${m.name}" is declared twice`);
    byName.set(m.name, m);
  }
  for (const m of modules) {
    for (const dep of m.dependsOn) {
      const target = byName.get(dep);
      if (!target) throw new ModuleGraphError(`module "${m.name}" depends on unknown module "${dep}"`);
      if (layerRank[target.layer] > layerRank[m.layer]) {
        throw new ModuleGraphError(
          `module "${m.name}" (${m.layer}) may not depend on "${dep}" (${target.layer}): dependencies point down`,
        );
      }
    }
  }
  const ordered: KeelModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: KeelModule, path: string[]) => {
    const s = state.get(m.name);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new ModuleGraphError(`module dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn) visit(byName.get(dep) as KeelModule, [...path, m.name]);
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of modules) visit(m, []);
  return ordered;
}

/**
 * A module's services, built once per database and key set: a module's access check, routes
 * and jobs are built from separate calls with separate contexts, but must share one set of
 * services (their caches, breakers, queues).
 */
export function servicesPerContext<T, A extends unknown[] = []>(
  build: (ctx: ModuleContext, ...args: A) => T,
): (ctx: ModuleContext, ...args: A) => T {
  const built = new WeakMap<Database, WeakMap<Secrets, T>>();
  // `args` (options such as a test clock) are used by the first call only.
  return (ctx, ...args) => {
    let bySecrets = built.get(ctx.db);
    if (!bySecrets) {
      bySecrets = new WeakMap();
      built.set(ctx.db, bySecrets);
    }
    let services = bySecrets.get(ctx.secrets);
    if (services === undefined) {
      services = build(ctx, ...args);
      bySecrets.set(ctx.secrets, services);
    }
    return services;
  };
}
