import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { KeelError } from '../errors/index.js';

/** Who is calling, once the access check has run on a non-public route. */
export interface Principal {
  /** 'session': a signed-in user (JWT); 'api_key': a key acting for its owner. */
  kind: 'session' | 'api_key';
  userId: string;
  /** Role names held (global roles plus org roles in the current org). */
  roles: readonly string[];
  /** Every action this principal may perform (an API key: its scopes ∩ its owner's actions). */
  actions: ReadonlySet<string>;
  /** The org the request acts in, when the user belongs to one. */
  orgId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The RBAC action a caller must hold for this route (seed 001 §5-2's `require(action)`), or
     * `'public'`. A route that declares none is refused: access is denied by default.
     */
    action?: string;
  }
  interface FastifyRequest {
    /** Set by the access check on non-public routes (and on public ones that carry credentials). */
    principal: Principal | null;
  }
}

export const PUBLIC = 'public';

/** Who asks, as modules with org-owned resources need it: the user, the org they act in, and whether they administer it. */
export interface OrgCaller {
  userId: string;
  orgId: string | null;
  /** Holds `org_admin` in `orgId` (principal roles carry the current org's roles). */
  orgAdmin: boolean;
}

/** The signed-in caller of a route (401 without one). */
export function orgCallerOf(request: { principal: Principal | null }): OrgCaller {
  const principal = request.principal;
  if (!principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return {
    userId: principal.userId,
    orgId: principal.orgId,
    orgAdmin: principal.orgId !== null && principal.roles.includes('org_admin'),
  };
}

/** An RBAC action a module's routes use, and the built-in roles that hold it by default. */
export interface ActionDefinition {
  code: string;
  description: string;
  /** Built-in roles granted this action when the catalog is seeded (admins can change it later). */
  roles: readonly string[];
}

/**
 * Decides whether the request may perform `action`; throws (or rejects with) KeelError 401/403
 * when not. It may answer synchronously: most checks need no I/O, and a promise per request costs.
 */
export type Authorize = (request: FastifyRequest, action: string) => void | Promise<void>;

/**
 * What the identity module plugs into the app: the access check, plus app-wide hooks
 * (audit, rate limits) registered before every module's routes.
 */
export interface AccessProvider {
  authorize: Authorize;
  /** Registered unencapsulated (its hooks see every route). */
  plugin?: FastifyPluginAsync;
}

/**
 * Until the identity module provides its own, nobody is signed in: public routes are open and
 * every other action asks for credentials.
 */
export const noIdentity: Authorize = async function noIdentity(_request, action) {
  throw new KeelError('unauthorized', `Sign-in is required (action ${action}).`);
};

/** The access check every request passes before its handler (synchronous when it can be). */
export function checkAccess(request: FastifyRequest, authorize: Authorize): void | Promise<void> {
  const action = request.routeOptions.config.action;
  if (action === undefined) {
    // Reaching this is a bug in the route, not the caller's fault, but failing closed matters more.
    throw new KeelError('forbidden', 'This route declares no access rule, so it is closed.');
  }
  if (action !== PUBLIC) return authorize(request, action);
}
