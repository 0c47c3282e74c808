import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { createRbac, type Rbac } from './access/rbac.js';
import { type ApiKeysService, createApiKeysService } from './api-keys/api-keys.service.js';
import { type AuditService, createAuditService } from './audit/audit.service.js';
import { createDeletionService, type DeletionService } from './deletion/deletion.service.js';
import { createFeedbackService, type FeedbackService } from './feedback/feedback.service.js';
import { createOrgsService, type OrgsService } from './orgs/orgs.service.js';
import { createPasswordsService, type PasswordsService } from './passwords/passwords.service.js';
import { createSessionsService, type SessionsService } from './sessions/sessions.service.js';
import { createTeamsService, type TeamsService } from './teams/teams.service.js';
import { type AccessTokens, createAccessTokens } from './tokens/access-token.js';
import { createUsersService, type UsersService } from './users/users.service.js';

/** The identity module's services, built once per app from its context. */
export interface IdentityServices {
  ctx: ModuleContext;
  tokens: AccessTokens;
  sessions: SessionsService;
  passwords: PasswordsService;
  rbac: Rbac;
  apiKeys: ApiKeysService;
  users: UsersService;
  orgs: OrgsService;
  teams: TeamsService;
  feedback: FeedbackService;
  audit: AuditService;
  deletion: DeletionService;
}

export const identityServices = servicesPerContext((ctx): IdentityServices => {
  const { db, secrets } = ctx;
  const tokens = createAccessTokens(secrets.ring);
  const sessions = createSessionsService({ db, secrets, tokens });
  const rbac = createRbac(db);
  const services: IdentityServices = {
    ctx,
    tokens,
    sessions,
    passwords: createPasswordsService({ db, sessions }),
    rbac,
    apiKeys: createApiKeysService({ db, secrets, rbac }),
    users: createUsersService({ db, secrets, sessions, rbac }),
    orgs: createOrgsService({ db }),
    teams: createTeamsService({ db }),
    feedback: createFeedbackService({ db }),
    audit: createAuditService({ db }),
    deletion: createDeletionService({
      db,
      log: ctx.log,
      erasers: () => ctx.userErasers,
      graceDays: ctx.config.deletionGraceDays,
    }),
  };
  return services;
});
