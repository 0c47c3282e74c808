import type { FastifyPluginAsync } from 'fastify';
import type { AccessProvider } from '../../../kernel/http/index.js';
import { PUBLIC } from '../../../kernel/http/index.js';
import type { DeclaredAction } from '../../../kernel/module/index.js';
import { addAuditHook } from '../audit/action-log.js';
import type { IdentityServices } from '../identity.context.js';
import { createAuthorize } from './authorize.js';

/**
 * What identity plugs into the app: the access check, the audit of mutations, and at startup the
 * RBAC catalog seeded from every module's declared actions. A route whose action no module
 * declares stops the app from starting: it would be closed to everyone but admins by accident.
 */
export function identityAccess(
  services: IdentityServices,
  actions: readonly DeclaredAction[],
): AccessProvider {
  const { ctx, tokens, rbac, apiKeys } = services;
  const check = createAuthorize({ db: ctx.db, log: ctx.log, tokens, rbac, apiKeys });
  const declared = new Set(actions.map((a) => a.code));
  // Seeded at startup; if the database was not ready then (it is migrated by another process, or
  // briefly down), the first access check tries again rather than deny with an empty catalog.
  let synced: Promise<void> | undefined;
  const ensureSynced = () => {
    synced ??= rbac.sync(actions).catch((error: unknown) => {
      synced = undefined;
      throw error;
    });
    return synced;
  };
  let seeded = false;
  const authorize: AccessProvider['authorize'] = (request, action) => {
    if (seeded) return check(request, action);
    return ensureSynced().then(() => {
      seeded = true;
      return check(request, action);
    });
  };
  const plugin: FastifyPluginAsync = async function identityAccessPlugin(app) {
    // Added here, not in a nested plugin: this plugin is unencapsulated, a nested one would not be.
    addAuditHook(app, ctx.db, ctx.log);
    app.addHook('onReady', async () => {
      const undeclared = app
        .routeAccess()
        .filter((route) => route.action !== null && route.action !== PUBLIC && !declared.has(route.action));
      if (undeclared.length > 0) {
        throw new Error(
          `routes use actions no module declares: ${undeclared.map((r) => `${r.method} ${r.url} → ${r.action}`).join('; ')}`,
        );
      }
      await ensureSynced().catch((error: unknown) =>
        ctx.log.warn({ err: error }, 'RBAC catalog not seeded yet; the first access check will retry'),
      );
    });
  };
  return { authorize, plugin };
}
