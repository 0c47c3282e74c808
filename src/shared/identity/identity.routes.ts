import type { FastifyPluginAsync } from 'fastify';
import { apiKeysRoutes } from './api-keys/api-keys.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { deletionAdminRoutes, myDeletionRoutes } from './deletion/deletion.routes.js';
import { feedbackRoutes } from './feedback/feedback.routes.js';
import type { IdentityServices } from './identity.context.js';
import {
  GOOGLE_AUTH_PREFIX,
  type GoogleAuthOptions,
  googleAuthRoutes,
  googleConfigFrom,
} from './oauth/index.js';
import { orgsRoutes } from './orgs/orgs.routes.js';
import { type PhoneAuthOptions, phoneAuthRoutes, phoneConfigFrom } from './phone/index.js';
import { setupRoutes } from './setup/setup.routes.js';
import { teamsRoutes } from './teams/teams.routes.js';
import { meRoutes } from './users/me.routes.js';
import { usersRoutes } from './users/users.routes.js';

/** What tests (or an embedding app) may override; settings come from the config otherwise. */
export interface IdentityRouteOptions {
  phone?: Omit<PhoneAuthOptions, 'config'>;
  google?: Omit<GoogleAuthOptions, 'config'>;
}

/** Every identity route, each feature under its own prefix. */
export function identityRoutes(
  services: IdentityServices,
  options: IdentityRouteOptions = {},
): FastifyPluginAsync {
  return async function identityPlugin(app) {
    await app.register(authRoutes(services), { prefix: '/auth' });
    await app.register(setupRoutes(services), { prefix: '/auth' });
    const settings = services.ctx.config.settings;
    await app.register(phoneAuthRoutes(services, { ...options.phone, config: phoneConfigFrom(settings) }), {
      prefix: '/auth/phone',
    });
    await app.register(
      googleAuthRoutes(services, { ...options.google, config: googleConfigFrom(settings) }),
      {
        prefix: GOOGLE_AUTH_PREFIX,
      },
    );
    await app.register(meRoutes(services), { prefix: '/me' });
    await app.register(myDeletionRoutes(services), { prefix: '/me/deletion' });
    await app.register(deletionAdminRoutes(services), { prefix: '/deletion-requests' });
    await app.register(usersRoutes(services), { prefix: '/users' });
    await app.register(apiKeysRoutes(services), { prefix: '/api-keys' });
    await app.register(orgsRoutes(services), { prefix: '/orgs' });
    await app.register(teamsRoutes(services), { prefix: '/orgs/:orgId/teams' });
    await app.register(feedbackRoutes(services), { prefix: '/feedback' });
    await app.register(auditRoutes(services), { prefix: '/audit' });
  };
}
