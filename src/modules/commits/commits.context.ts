import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { llmServices } from '../../shared/llm/index.js';
import { notifyServices } from '../../shared/notify/index.js';
import { planAllowances } from '../../shared/plans/index.js';
import { createRepositories, type Repositories } from './repositories/repositories.service.js';
import { createRequests, type Requests } from './requests/requests.service.js';
import { createReviewLinks } from './requests/review-links.js';

/**
 * The Commits module's services, one set per context: routes and the CLI share them.
 *
 * @example
 * const commits = commitsServices(ctx);
 * const { repository } = await commits.repositories.create(caller, { name: 'keel' });
 * const detail = await commits.requests.create(caller, { repositoryId: repository.id, diff, trigger: 'cli' });
 */
export interface Commits {
  repositories: Repositories;
  requests: Requests;
}

export const commitsServices = servicesPerContext((ctx: ModuleContext): Commits => {
  const repositories = createRepositories(ctx.db);
  const requests = createRequests({
    db: ctx.db,
    repositories,
    gateway: llmServices(ctx).gateway,
    embed: (request) => llmServices(ctx).embed(request),
    log: ctx.log,
    allowances: planAllowances(ctx),
    reviews: createReviewLinks({
      notify: notifyServices(ctx),
      publicUrl: ctx.config.publicUrl,
      log: ctx.log,
    }),
  });
  return { repositories, requests };
});
