import { randomUUID } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import type { DeclaredAction } from '../../../kernel/module/index.js';

/** Seed 001 §5-2's roles plus seed 002's `enterprise`. `admin` holds every action. */
export const builtinRoles = [
  { name: 'user', description: 'Every signed-in person holds this role.' },
  { name: 'admin', description: 'Platform administrators: every action.' },
  { name: 'org_admin', description: "Administers one organization (held through an org membership's role)." },
  { name: 'enterprise', description: 'People on an enterprise contract (seed 002).' },
] as const;

/** How long a process trusts its copy of the role → action map before reading it again. */
const cacheTtlMs = 15_000;

/**
 * Roles, actions and the map between them (seed 001 §5-2), with a per-process cache so that an
 * access check costs no query. Role changes made through this process apply at once; those made
 * by another process within `cacheTtlMs`.
 */
export interface Rbac {
  /** Seeds the built-in roles and every declared action; new actions go to their default roles. */
  sync(actions: readonly DeclaredAction[]): Promise<void>;
  /** Every action held by any of `roles`. */
  actionsOf(roles: readonly string[]): Promise<ReadonlySet<string>>;
  /** The same, from the cache alone; undefined when the cache must be (re)loaded first. */
  cachedActionsOf(roles: readonly string[]): ReadonlySet<string> | undefined;
  /** Forget the cached map (after a grant or revoke). */
  invalidate(): void;
}

export function createRbac(db: Database): Rbac {
  let map: { byRole: Map<string, Set<string>>; loadedAt: number } | undefined;
  let loading: Promise<Map<string, Set<string>>> | undefined;
  let byRoles = new Map<string, ReadonlySet<string>>();

  async function load(): Promise<Map<string, Set<string>>> {
    const rows = await db.query<{ role: string; action: string }>(
      `select r.name as role, a.code as action from identity.role_actions ra
       join identity.roles r on r.id = ra.role_id join identity.actions a on a.id = ra.action_id`,
    );
    const byRole = new Map<string, Set<string>>();
    for (const { role, action } of rows) {
      const set = byRole.get(role) ?? new Set<string>();
      set.add(action);
      byRole.set(role, set);
    }
    map = { byRole, loadedAt: Date.now() };
    byRoles = new Map();
    return byRole;
  }

  /** Most starts change nothing: one read instead of a write per action. */
  async function catalogIsCurrent(actions: readonly DeclaredAction[]): Promise<boolean> {
    const [roleRows, actionRows] = await Promise.all([
      db.query<{ name: string }>('select name from identity.roles where builtin'),
      db.query<{ code: string; description: string; module: string }>(
        'select code, description, module from identity.actions',
      ),
    ]);
    const roles = new Set(roleRows.map((r) => r.name));
    if (!builtinRoles.every((r) => roles.has(r.name))) return false;
    const known = new Map(actionRows.map((a) => [a.code, a]));
    return actions.every((a) => {
      const row = known.get(a.code);
      return row?.description === a.description && row.module === a.module;
    });
  }

  function unionOf(byRole: Map<string, Set<string>>, roles: readonly string[]): ReadonlySet<string> {
    const key = roles.join(',');
    const cached = byRoles.get(key);
    if (cached) return cached;
    const union = new Set<string>();
    for (const role of roles) for (const action of byRole.get(role) ?? []) union.add(action);
    byRoles.set(key, union);
    return union;
  }

  async function current(): Promise<Map<string, Set<string>>> {
    if (map && Date.now() - map.loadedAt < cacheTtlMs) return map.byRole;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  return {
    async sync(actions) {
      if (await catalogIsCurrent(actions)) {
        map = undefined;
        return;
      }
      await db.transaction(async (tx) => {
        for (const role of builtinRoles) {
          await tx.query(
            `insert into identity.roles (id, name, description, builtin) values ($1, $2, $3, true)
             on conflict (name) do update set builtin = true`,
            [randomUUID(), role.name, role.description],
          );
        }
        for (const action of actions) {
          // xmax = 0 only on a freshly inserted row: defaults are granted once, so an admin's later
          // changes to the map survive restarts.
          const [row] = await tx.query<{ id: string; inserted: boolean }>(
            `insert into identity.actions (id, code, description, module) values ($1, $2, $3, $4)
             on conflict (code) do update set description = excluded.description, module = excluded.module
             returning id, (xmax = 0) as inserted`,
            [randomUUID(), action.code, action.description, action.module],
          );
          if (!row?.inserted) continue;
          await tx.query(
            `insert into identity.role_actions (role_id, action_id)
             select id, $1 from identity.roles where name = any($2::text[]) on conflict do nothing`,
            [row.id, [...new Set(['admin', ...action.roles])]],
          );
        }
      });
      map = undefined;
    },

    async actionsOf(roles) {
      return unionOf(await current(), roles);
    },

    cachedActionsOf(roles) {
      if (!map || Date.now() - map.loadedAt >= cacheTtlMs) return undefined;
      return unionOf(map.byRole, roles);
    },

    invalidate() {
      map = undefined;
    },
  };
}
