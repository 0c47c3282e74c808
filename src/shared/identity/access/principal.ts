import { KeelError } from '../../../kernel/errors/index.js';
import type { Principal } from '../../../kernel/http/index.js';

/** The caller of a route that declared an action (the access check has set it). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return request.principal;
}

/** The roles a principal acts with: its global roles plus `org_admin` when that is its org role. */
export function withOrgRole(roles: readonly string[], orgRole: string | null): string[] {
  return orgRole === 'org_admin' && !roles.includes('org_admin') ? [...roles, 'org_admin'] : [...roles];
}
