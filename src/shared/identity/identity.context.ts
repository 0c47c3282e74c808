import type { Database } from '../../kernel/db/index.js';
import type { Secrets } from '../../kernel/crypto/index.js';
import type { ModuleContext } from '../../kernel/module/index.js';
import { createSessionsService, type SessionsService } from './sessions/sessions.service.js';
import { type AccessTokens, createAccessTokens } from './tokens/access-token.js';

/** The identity module's services, built once per app from its context. */
export interface IdentityServices {
  ctx: ModuleContext;
  tokens: AccessTokens;
  sessions: SessionsService;
}

// The access check and the routes are built from separate calls (kernel `access` and `routes`),
// but must share one set of services (and their caches): memoized per database and key set.
const built = new WeakMap<Database, WeakMap<Secrets, IdentityServices>>();

export function identityServices(ctx: ModuleContext): IdentityServices {
  let bySecrets = built.get(ctx.db);
  if (!bySecrets) {
    bySecrets = new WeakMap();
    built.set(ctx.db, bySecrets);
  }
  const existing = bySecrets.get(ctx.secrets);
  if (existing) return existing;
  const tokens = createAccessTokens(ctx.secrets.ring);
  const services: IdentityServices = {
    ctx,
    tokens,
    sessions: createSessionsService({ db: ctx.db, secrets: ctx.secrets, tokens }),
  };
  bySecrets.set(ctx.secrets, services);
  return services;
}
