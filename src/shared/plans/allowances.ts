import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { readPlans } from './catalog/catalog.repository.js';
import { type Catalog, makeCatalog } from './catalog/catalog.store.js';
import {
  createSubscriptions,
  type EffectivePlan,
  type Member,
} from './subscriptions/subscriptions.service.js';
import type { Feature } from './usage/usage.features.js';
import { createUsage, type UsageLine } from './usage/usage.service.js';

/**
 * Metered allowances for work outside a request (a worker, a job), where `app.plans` does not
 * exist: the same atomic check-and-count as `plans.enforceLimit`, against the catalog as stored
 * (the API process writes the catalog file into the table on every reload).
 *
 * @example
 * await planAllowances(ctx).consume({ userId, orgId }, 'kakao', 2); // throws rate_limited when used up
 * (await planAllowances(ctx).effectivePlan({ userId, orgId })).plan.max_upload_mb; // 10, or null
 */
export interface Allowances {
  consume(member: Member, feature: Feature, amount?: number): Promise<UsageLine[]>;
  /** The plan that applies to the member now (its limits, e.g. `max_upload_mb`). */
  effectivePlan(member: Member): Promise<EffectivePlan>;
}

/** How stale the stored catalog may be here: a plan edit reaches workers within this. */
const CATALOG_TTL_MS = 30_000;

export const planAllowances = servicesPerContext(
  (ctx: ModuleContext, now: () => Date = () => new Date()): Allowances => {
    let catalog: Catalog | undefined;
    let loadedAt = 0;
    const subscriptions = createSubscriptions({ db: ctx.db, now, catalog: () => catalog as Catalog });
    const usage = createUsage({ db: ctx.db, now, subscriptions });
    const fresh = async () => {
      if (!catalog || performance.now() - loadedAt > CATALOG_TTL_MS) {
        catalog = makeCatalog(await readPlans(ctx.db), 'database');
        loadedAt = performance.now();
      }
    };
    return {
      async consume(member, feature, amount) {
        await fresh();
        return usage.enforceLimit(member, feature, amount);
      },
      async effectivePlan(member) {
        await fresh();
        return subscriptions.effectivePlan(member);
      },
    };
  },
);
