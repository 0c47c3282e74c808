import type { FastifyRequest } from 'fastify';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Principal } from '../../../kernel/http/index.js';
import { isUuid } from '../../../kernel/ids.js';

/** The principal as identity builds it: with what it needs to re-judge it in another org. */
export interface IdentityPrincipal extends Principal {
  /** Roles held everywhere (from user_roles), without the org role. */
  globalRoles: readonly string[];
  /** An API key's own scopes (null for a session). */
  scopes: ReadonlySet<string> | null;
}

/** The caller of a route that declared an action (the access check has set it). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return request.principal;
}

/** The roles a principal acts with: its global roles plus `org_admin` when that is its org role. */
export function withOrgRole(roles: readonly string[], orgRole: string | null): string[] {
  return orgRole === 'org_admin' && !roles.includes('org_admin') ? [...roles, 'org_admin'] : [...roles];
}

/**
 * The organization a request is about, when its URL names one (`/orgs/:id/...`,
 * `/orgs/:orgId/teams/...`): org roles and the audit row follow that org, not the token's.
 */
export function orgOfRoute(request: FastifyRequest): string | null {
  const params = request.params as Record<string, unknown> | undefined;
  const url = request.routeOptions.url ?? '';
  const candidate = params?.orgId ?? (url.startsWith('/orgs/:id') ? params?.id : undefined);
  return typeof candidate === 'string' && isUuid(candidate) ? candidate : null;
}
