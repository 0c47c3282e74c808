import { KeelError } from '../../kernel/errors/index.js';
import type { Principal } from '../../kernel/http/index.js';

/** RBAC actions of the Commits product. */
export const actions = {
  /** See repositories you may read, their requests, drafts and commits. */
  read: 'commits.read',
  /** Register repositories, request drafts, approve, reject, report commits. */
  write: 'commits.write',
} as const;

/** Who asks: the user, the org the request acts in, and whether they administer it. */
export interface Caller {
  userId: string;
  orgId: string | null;
  orgAdmin: boolean;
}

export function callerOf(request: { principal: Principal | null }): Caller {
  const principal = request.principal;
  if (!principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return {
    userId: principal.userId,
    orgId: principal.orgId,
    orgAdmin: principal.orgId !== null && principal.roles.includes('org_admin'),
  };
}

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
