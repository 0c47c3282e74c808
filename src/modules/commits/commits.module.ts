import { join } from 'node:path';
import type { ActionDefinition } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { commitsServices } from './commits.context.js';
import { eraseCommitsUser } from './commits.erase.js';
import { actions } from './commits.http.js';
import { commitsRoutes } from './commits.routes.js';

const everyone = ['user', 'admin', 'org_admin', 'enterprise'];

export const commitsActions: readonly ActionDefinition[] = [
  { code: actions.read, description: 'See your repositories, their drafts and commits', roles: everyone },
  {
    code: actions.write,
    description: 'Register repositories, request commit drafts, approve them, report commits',
    roles: everyone,
  },
];

/** Commits (Flogi / Comfort Commit): capture, scope, draft, review and approve commits. */
export const commitsModule: KeelModule = {
  name: 'commits',
  layer: 'module',
  dependsOn: ['kernel', 'identity', 'plans', 'llm', 'notify'],
  migrations: join(projectRoot, 'src', 'modules', 'commits', 'migrations'),
  actions: commitsActions,
  routes: { prefix: '/commits', plugin: (ctx) => commitsRoutes(commitsServices(ctx)) },
  eraseUser: (tx, userId) => eraseCommitsUser(tx, userId),
};
