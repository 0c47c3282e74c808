import type { SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Principal } from '../../../kernel/http/index.js';

export type OrgRole = 'member' | 'org_admin';

/** Who asks, as the org, team and audit services need it: the user, and whether they are a platform admin. */
export interface Caller {
  userId: string;
  /** Holds the global `admin` role: sees and manages every org. */
  admin: boolean;
}

export function callerOf(principal: Principal): Caller {
  return { userId: principal.userId, admin: principal.roles.includes('admin') };
}

/** The caller's standing in one org, read from the database (never from the access token). */
export interface OrgAccess {
  orgId: string;
  /** The caller's membership role; null for a platform admin who is not a member. */
  role: OrgRole | null;
  admin: boolean;
}

/**
 * The caller's membership in `orgId`, read now. An org the caller does not belong to answers
 * 404 exactly like an org that does not exist, so ids leak nothing. `lock` takes the org row
 * `for update`: membership changes of one org then run one at a time (the last-admin rule).
 */
export async function orgAccess(
  conn: SqlConnection,
  caller: Caller,
  orgId: string,
  options: { lock?: boolean } = {},
): Promise<OrgAccess> {
  const [row] = await conn.query<{ role: OrgRole | null }>(
    `select m.role from identity.organizations o
     left join identity.org_memberships m on m.org_id = o.id and m.user_id = $2
     where o.id = $1 ${options.lock ? 'for update of o' : ''}`,
    [orgId, caller.userId],
  );
  if (!row || (!row.role && !caller.admin)) throw new KeelError('not_found', 'No such organization.');
  return { orgId, role: row.role, admin: caller.admin };
}

/** Managing an org (or its teams) takes its org_admin, or a platform admin. */
export function requireOrgAdmin(access: OrgAccess): void {
  if (access.admin || access.role === 'org_admin') return;
  throw new KeelError('forbidden', 'Only an org_admin of this organization may do this.');
}
