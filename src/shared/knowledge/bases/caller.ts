import { KeelError } from '../../../kernel/errors/index.js';
import { type OrgCaller, orgCallerOf } from '../../../kernel/http/index.js';

/**
 * Who asks, as the knowledge rules need it: the user, the org the request acts in (from the
 * access token, `request.principal.orgId`) and whether they administer that org.
 */
export type Caller = OrgCaller;
export const callerOf = orgCallerOf;

/**
 * What a caller may do with a knowledge base, in increasing order:
 * - `read`: list and read its documents, export them, search it;
 * - `write`: also upload, delete and restore documents;
 * - `manage`: also change its settings, share it and delete it.
 */
export type Access = 'none' | 'read' | 'write' | 'manage';

const rank: Record<Access, number> = { none: 0, read: 1, write: 2, manage: 3 };

export function atLeast(access: Access, needed: Exclude<Access, 'none'>): boolean {
  return rank[access] >= rank[needed];
}

/**
 * The access rule. A personal base (no org): its owner manages it. An org base: members of the
 * org (acting in it) read it; its owner and the org's org_admins manage it — the owner only while
 * acting in that org, so leaving the org ends access. Shares add read or write for a user or a
 * team. Anything else sees nothing: another org's base is a 404, never a 403.
 */
export function accessOf(
  base: { orgId: string | null; ownerUserId: string },
  caller: Caller,
  shared: 'read' | 'write' | null,
): Access {
  let own: Access = 'none';
  if (base.orgId === null) {
    if (base.ownerUserId === caller.userId) own = 'manage';
  } else if (caller.orgId === base.orgId) {
    own = base.ownerUserId === caller.userId || caller.orgAdmin ? 'manage' : 'read';
  }
  const viaShare: Access = shared ?? 'none';
  return rank[viaShare] > rank[own] ? viaShare : own;
}

/** Throws 404 when the caller may not see the base at all, 403 when they may see but not do. */
export function requireAccess(access: Access, needed: Exclude<Access, 'none'>): void {
  if (access === 'none') throw new KeelError('not_found', 'No such knowledge base.');
  if (!atLeast(access, needed)) {
    throw new KeelError(
      'forbidden',
      needed === 'manage'
        ? "Only the knowledge base's owner or an org admin may change its settings, shares or existence."
        : 'You may read this knowledge base but not change its documents.',
    );
  }
}
