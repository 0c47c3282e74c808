import type { Database } from '../../kernel/db/index.js';
import type { Log } from '../../kernel/log/index.js';
import type { Catalog } from './catalog/catalog.store.js';
import { type Credits, createCredits } from './credits/credits.service.js';
import {
  deleteApiKeyRateLimit,
  type RateLimitRow,
  type RateLimitTarget,
  readRateLimits,
  saveRateLimit,
} from './rate-limit/rate-limit.repository.js';
import {
  createRateLimitRules,
  type RateLimitRule,
  type RateLimitRules,
} from './rate-limit/rate-limit.rules.js';
import { createRewards, type ReferralRewards, type Rewards } from './rewards/rewards.service.js';
import {
  createSubscriptions,
  type EffectivePlan,
  type Member,
  type PlanChangeRow,
  type UserPlanView,
} from './subscriptions/subscriptions.service.js';
import type { Feature } from './usage/usage.features.js';
import { createUsage, type UsageLine, type UsageReport } from './usage/usage.service.js';

/** Request limits per plan and per API key (seed 002 `rate_limit_configs`), plus the lookup. */
export interface RateLimits extends RateLimitRules {
  list(): Promise<RateLimitRow[]>;
  /** Sets a plan's or an API key's limit; applies on this process now, on others within the cache TTL. */
  set(target: RateLimitTarget, rule: RateLimitRule): Promise<RateLimitRow>;
  /** Removes an API key's own limit; returns false when it had none. */
  removeApiKey(apiKeyId: string): Promise<boolean>;
}

/**
 * The plans module's service: the catalog, who is on which plan, metered limits, credits, rewards
 * and request rate limits. Routes of any module reach it as `app.plans` (decorated by the plans
 * module's app hooks, which run before every module's routes).
 *
 * @example
 * // in another module's route handler, before doing the work:
 * await request.server.plans.enforceLimit(request.principal, 'commits');
 * await request.server.plans.credits.debit(request.principal.userId, 30, 'llm.tokens', jobId);
 */
export interface PlansService {
  /** The catalog in force (hot-reloaded from config/plan_catalog.yml). */
  catalog(): Catalog;
  effectivePlan(member: Member): Promise<EffectivePlan>;
  setUserPlan(userId: string, planKey: string, options?: { trial?: boolean }): Promise<UserPlanView>;
  userPlan(userId: string): Promise<UserPlanView>;
  planHistory(userId: string, limit?: number): Promise<PlanChangeRow[]>;
  /** Counts `amount` uses of `feature` or throws rate_limited (429) with the limit's details. */
  enforceLimit(member: Member, feature: Feature, amount?: number): Promise<UsageLine[]>;
  usage(member: Member): Promise<UsageReport>;
  credits: Credits;
  rewards: Rewards;
  rateLimits: RateLimits;
}

export interface PlansServiceDeps {
  db: Database;
  log: Log;
  catalog: () => Catalog;
  now?: () => Date;
  referralRewards?: ReferralRewards;
  rateLimit?: { anonymous?: RateLimitRule; cacheTtlMs?: number };
}

export function createPlansService(deps: PlansServiceDeps): PlansService {
  const { db, log, catalog, now = () => new Date() } = deps;
  const subscriptions = createSubscriptions({ db, catalog, now });
  const usage = createUsage({ db, subscriptions, now });
  const rules = createRateLimitRules({
    db,
    log,
    subscriptions,
    anonymous: deps.rateLimit?.anonymous,
    ttlMs: deps.rateLimit?.cacheTtlMs,
  });
  return {
    catalog,
    effectivePlan: (member) => subscriptions.effectivePlan(member),
    async setUserPlan(userId, planKey, options) {
      const view = await subscriptions.setUserPlan(userId, planKey, options);
      rules.forgetUser(userId);
      return view;
    },
    userPlan: (userId) => subscriptions.userPlan(userId),
    planHistory: (userId, limit) => subscriptions.history(userId, limit),
    enforceLimit: (member, feature, amount) => usage.enforceLimit(member, feature, amount),
    usage: (member) => usage.usage(member),
    credits: createCredits({ db }),
    rewards: createRewards({ db, referralRewards: deps.referralRewards }),
    rateLimits: {
      ...rules,
      list: () => readRateLimits(db),
      async set(target, rule) {
        const row = await saveRateLimit(db, target, rule.maxRequests, rule.windowSeconds);
        rules.forgetLimits();
        return row;
      },
      async removeApiKey(apiKeyId) {
        const removed = await deleteApiKeyRateLimit(db, apiKeyId);
        rules.forgetLimits();
        return removed;
      },
    },
  };
}
