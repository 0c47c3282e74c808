import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Authorize } from '../../../kernel/http/index.js';
import { cookieOf } from '../../../kernel/http/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { ApiKeysService } from '../api-keys/api-keys.service.js';
import { API_KEY_PREFIX } from '../api-keys/api-keys.service.js';
import { entryOf, recordAction } from '../audit/action-log.js';
import { ACCESS_COOKIE } from '../sessions/session-cookies.js';
import type { AccessClaims, AccessTokens } from '../tokens/access-token.js';
import { type IdentityPrincipal, orgOfRoute, withOrgRole } from './principal.js';
import type { Rbac } from './rbac.js';

export interface AuthorizeDeps {
  db: Database;
  log: Log;
  tokens: AccessTokens;
  rbac: Rbac;
  apiKeys: ApiKeysService;
}

/**
 * The access check (seed 001 §5-3's `require(action)`): who is calling — an access token
 * (`Authorization: Bearer <jwt>` or the `keel_access` cookie) or an API key (`Bearer keel_…` or
 * `X-API-Key`) — and whether they hold the route's action. Every refusal is written to the action
 * log before the 401 or 403 goes out.
 */
export function createAuthorize(deps: AuthorizeDeps): Authorize {
  const { db, log, tokens, rbac, apiKeys } = deps;

  async function deny(request: FastifyRequest, error: KeelError): Promise<never> {
    await recordAction(db, entryOf(request, 'denied', error.status)).catch((auditError: unknown) =>
      log.error({ err: auditError }, 'audit write failed'),
    );
    throw error;
  }

  /**
   * The common case without a promise: a token verified before, a fresh role map, and the action
   * held. Anything else (first sight of a token, an API key, a refusal) takes the full path.
   */
  function fast(request: FastifyRequest, action: string): boolean {
    const credential = credentialOf(request);
    if (credential?.kind !== 'jwt') return false;
    const claims = tokens.verifiedBefore(credential.value);
    if (!claims) return false;
    const roles = withOrgRole(claims.roles, claims.orgRole);
    const actions = rbac.cachedActionsOf(roles);
    if (!actions?.has(action)) return false;
    request.principal = sessionPrincipal(claims, roles, actions);
    return true;
  }

  return function authorize(request, action) {
    if (fast(request, action)) return;
    return full(request, action);
  };

  async function full(request: FastifyRequest, action: string): Promise<void> {
    const credential = credentialOf(request);
    if (!credential)
      return deny(request, new KeelError('unauthorized', `Sign-in is required (action ${action}).`));
    let principal: IdentityPrincipal | null;
    if (credential.kind === 'api_key') {
      principal = await apiKeys.authenticate(credential.value);
      if (!principal)
        return deny(request, new KeelError('unauthorized', 'The API key is not valid, expired or revoked.'));
    } else {
      let claims: AccessClaims;
      try {
        claims = await tokens.verify(credential.value);
      } catch (error) {
        return deny(request, error as KeelError);
      }
      const roles = withOrgRole(claims.roles, claims.orgRole);
      principal = sessionPrincipal(claims, roles, await rbac.actionsOf(roles));
    }
    if (!principal.actions.has(action)) principal = (await inRouteOrg(request, principal)) ?? principal;
    request.principal = principal;
    if (!principal.actions.has(action)) {
      await deny(
        request,
        new KeelError('forbidden', `You do not hold the action ${action}.`, { details: { action } }),
      );
    }
  }

  /**
   * The token carries the role of one org (the session's). A request about another org the user
   * administers is judged by their role there, read from the database (only when the token's
   * roles fall short, so ordinary requests cost no query).
   */
  async function inRouteOrg(
    request: FastifyRequest,
    principal: IdentityPrincipal,
  ): Promise<IdentityPrincipal | null> {
    const orgId = orgOfRoute(request);
    if (!orgId || orgId === principal.orgId) return null;
    const [membership] = await db.query<{ role: string }>(
      `select m.role from identity.org_memberships m join identity.organizations o on o.id = m.org_id
       where m.user_id = $1 and m.org_id = $2 and o.active`,
      [principal.userId, orgId],
    );
    if (!membership) return null;
    const roles = withOrgRole(principal.globalRoles, membership.role);
    const held = await rbac.actionsOf(roles);
    // An API key never gains actions beyond its scopes.
    const scopes = principal.scopes;
    const actions = scopes ? new Set([...scopes].filter((a) => held.has(a))) : held;
    return { ...principal, orgId, roles, actions };
  }
}

function sessionPrincipal(
  claims: AccessClaims,
  roles: readonly string[],
  actions: ReadonlySet<string>,
): IdentityPrincipal {
  return {
    kind: 'session',
    userId: claims.userId,
    roles,
    actions,
    orgId: claims.orgId,
    sessionId: claims.sessionId,
    apiKeyId: null,
    globalRoles: claims.roles,
    scopes: null,
  };
}

function credentialOf(request: FastifyRequest): { kind: 'jwt' | 'api_key'; value: string } | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return { kind: 'jwt', value: '' };
    const value = match[1];
    return { kind: value.startsWith(API_KEY_PREFIX) ? 'api_key' : 'jwt', value };
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string') return { kind: 'api_key', value: apiKey };
  const cookie = cookieOf(request, ACCESS_COOKIE);
  if (cookie) return { kind: 'jwt', value: cookie };
  return null;
}
