import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { readPlans } from './catalog/catalog.repository.js';
import { type Catalog, makeCatalog } from './catalog/catalog.store.js';
import { createSubscriptions, type Member } from './subscriptions/subscriptions.service.js';
import type { Feature } from './usage/usage.features.js';
import { createUsage, type UsageLine } from './usage/usage.service.js';

/**
 * Metered allowances for work outside a request (a worker, a job), where `app.plans` does not
 * exist: the same atomic check-and-count as `plans.enforceLimit`, against the catalog as stored
 * (the API process writes the catalog file into the table on every reload).
 *
 * @example
 * await planAllowances(ctx).consume({ userId, orgId }, 'kakao', 2); // throws rate_limited when used up
 */
export interface Allowances {
  consume(member: Member, feature: Feature, amount?: number): Promise<UsageLine[]>;
}

/** How stale the stored catalog may be here: a plan edit reaches workers within this. */
const CATALOG_TTL_MS = 30_000;

export const planAllowances = servicesPerContext(
  (ctx: ModuleContext, now: () => Date = () => new Date()): Allowances => {
    let catalog: Catalog | undefined;
    let loadedAt = 0;
    const usage = createUsage({
      db: ctx.db,
      now,
      subscriptions: createSubscriptions({ db: ctx.db, now, catalog: () => catalog as Catalog }),
    });
    return {
      async consume(member, feature, amount) {
        if (!catalog || performance.now() - loadedAt > CATALOG_TTL_MS) {
          catalog = makeCatalog(await readPlans(ctx.db), 'database');
          loadedAt = performance.now();
        }
        return usage.enforceLimit(member, feature, amount);
      },
    };
  },
);
