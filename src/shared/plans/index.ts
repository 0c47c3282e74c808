export { FREE_PLAN, type Plan } from './catalog/catalog.schema.js';
export type { Catalog } from './catalog/catalog.store.js';
export type { Credits, LedgerEntry } from './credits/credits.service.js';
export { createPlansModule, type PlansModuleOptions, plansModule } from './plans.module.js';
export type { PlansService, RateLimits } from './plans.service.js';
export type { Redeemed, Rewards } from './rewards/rewards.service.js';
export type { EffectivePlan, Member, UserPlanView } from './subscriptions/subscriptions.service.js';
export { type Feature, featureLimits, type Period } from './usage/usage.features.js';
export type { UsageLine, UsageReport } from './usage/usage.service.js';
