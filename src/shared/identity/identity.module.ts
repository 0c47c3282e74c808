import { join } from 'node:path';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { identityAccess } from './access/access-provider.js';
import { deletionJob, deletionSchedule } from './deletion/deletion.job.js';
import { eraseIdentity } from './deletion/erase-identity.js';
import { identityActions } from './identity.actions.js';
import { identityServices } from './identity.context.js';
import { type IdentityRouteOptions, identityRoutes } from './identity.routes.js';
import { oauthEncryptedColumns } from './oauth/index.js';

/** Users, orgs, teams, sign-in, sessions, RBAC, API keys, audit and deletion requests. */
export function createIdentityModule(options: IdentityRouteOptions = {}): KeelModule {
  return {
    name: 'identity',
    layer: 'shared',
    dependsOn: ['kernel'],
    migrations: join(projectRoot, 'src', 'shared', 'identity', 'migrations'),
    actions: identityActions,
    access: (ctx, actions) => identityAccess(identityServices(ctx), actions),
    routes: { prefix: '', plugin: (ctx) => identityRoutes(identityServices(ctx), options) },
    jobs: (ctx) => [deletionJob(identityServices(ctx).deletion)],
    schedules: [deletionSchedule],
    eraseUser: (tx, userId) => eraseIdentity(tx, userId),
    encryptedColumns: [
      { schema: 'identity', table: 'users', column: 'phone_encrypted', idColumn: 'id', aad: (id) => id },
      {
        schema: 'identity',
        table: 'profiles',
        column: 'nickname_encrypted',
        idColumn: 'user_id',
        aad: (id) => id,
      },
      {
        schema: 'identity',
        table: 'user_secrets',
        column: 'value_encrypted',
        idColumn: 'id',
        aad: (id) => id,
      },
      ...oauthEncryptedColumns,
    ],
  };
}

export const identityModule: KeelModule = createIdentityModule();
