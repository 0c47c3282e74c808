import type { FastifyPluginAsync } from 'fastify';
import { apiKeysRoutes } from './api-keys/api-keys.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { deletionAdminRoutes, myDeletionRoutes } from './deletion/deletion.routes.js';
import { feedbackRoutes } from './feedback/feedback.routes.js';
import type { IdentityServices } from './identity.context.js';
import { orgsRoutes } from './orgs/orgs.routes.js';
import { teamsRoutes } from './teams/teams.routes.js';
import { meRoutes } from './users/me.routes.js';
import { usersRoutes } from './users/users.routes.js';

/** Every identity route, each feature under its own prefix. */
export function identityRoutes(services: IdentityServices): FastifyPluginAsync {
  return async function identityPlugin(app) {
    await app.register(authRoutes(services), { prefix: '/auth' });
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
