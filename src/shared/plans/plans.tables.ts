import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgSchema,
  primaryKey,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * Plans, usage limits, credits and rewards (seed 000 `03_plan_reward`, seed 001 §6, seed 002
 * `rate_limit_configs` and `credits`). User and org ids are plain columns: identity owns those rows.
 *
 * Not expressible here, so written in the `seed_and_trigger` migration: the `plan_order` unique
 * constraint (deferrable, so a catalog reload may swap two plans' order in one statement), the
 * `log_plan_change()` trigger on `user_plans`, and the seed rows.
 */
export const plansSchema = pgSchema('plans');

const created = createdAtColumn;
const updated = updatedAtColumn;
const planKey = (name: string) => varchar(name, { length: 32 });
/** Counts and credit amounts; read back as numbers (bounded far below 2^53 by the services). */
const count = (name: string) => bigint(name, { mode: 'number' });

/** Seed 001 §6-1, column for column. A NULL limit means unlimited. */
export const planCatalog = plansSchema.table(
  'plan_catalog',
  {
    planKey: planKey('plan_key').primaryKey(),
    planLabel: varchar('plan_label', { length: 64 }).notNull(),
    monthlyPriceUsd: numeric('monthly_price_usd', { precision: 6, scale: 2 }).notNull(),
    maxCommitsPerDay: integer('max_commits_per_day'),
    maxCommitsPerMonth: integer('max_commits_per_month'),
    maxDescribesPerMonth: integer('max_describes_per_month'),
    maxUploadsPerDay: integer('max_uploads_per_day'),
    /** MiB per uploaded document; null = no plan limit (the extraction limit still applies). */
    maxUploadMb: integer('max_upload_mb'),
    kakaoNotiRemaining: integer('kakao_noti_remaining'),
    slackEnabled: boolean('slack_enabled').notNull(),
    adLayerEnabled: boolean('ad_layer_enabled').notNull(),
    instantCommitGeneration: boolean('instant_commit_generation').notNull(),
    saveCommitMessage: boolean('save_commit_message').notNull(),
    saveDescribeEnabled: boolean('save_describe_enabled').notNull(),
    commitReportEnabled: boolean('commit_report_enabled').notNull(),
    visualizationReportEnabled: boolean('visualization_report_enabled').notNull(),
    promptPersonalizationEnabled: boolean('prompt_personalization_enabled').notNull(),
    dataRetentionDays: integer('data_retention_days'),
    teamFeaturesEnabled: boolean('team_features_enabled').notNull(),
    trialDays: integer('trial_days').notNull().default(0),
    /** Unique (deferrable constraint in the seed_and_trigger migration). */
    planOrder: integer('plan_order').notNull(),
    isTeamPlan: boolean('is_team_plan').notNull().default(false),
  },
  (t) => [
    check('plan_catalog_price_check', sql`${t.monthlyPriceUsd} >= 0`),
    check('plan_catalog_upload_mb_check', sql`coalesce(${t.maxUploadMb}, 0) >= 0`),
    check(
      'plan_catalog_limits_check',
      sql`coalesce(${t.maxCommitsPerDay}, 0) >= 0 and coalesce(${t.maxCommitsPerMonth}, 0) >= 0
        and coalesce(${t.maxDescribesPerMonth}, 0) >= 0 and coalesce(${t.maxUploadsPerDay}, 0) >= 0
        and coalesce(${t.kakaoNotiRemaining}, 0) >= 0 and coalesce(${t.dataRetentionDays}, 0) >= 0
        and ${t.trialDays} >= 0`,
    ),
  ],
);

/** Seed 001 §6-2 `user_plan`. A user without a row is on 'free'. */
export const userPlans = plansSchema.table(
  'user_plans',
  {
    userId: uuid('user_id').primaryKey(),
    planKey: planKey('plan_key')
      .notNull()
      .references(() => planCatalog.planKey),
    isTrialActive: boolean('is_trial_active').notNull().default(false),
    trialEndsAt: timestamp('trial_ends_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updated(),
  },
  (t) => [
    check('user_plans_trial_check', sql`not ${t.isTrialActive} or ${t.trialEndsAt} is not null`),
    index('user_plans_trial_ends_idx').on(t.trialEndsAt).where(sql`${t.isTrialActive}`),
  ],
);

/** Seed 001 §6-2 `user_plan_history`: written only by the `log_plan_change()` trigger. */
export const userPlanHistory = plansSchema.table(
  'user_plan_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull(),
    oldPlanKey: planKey('old_plan_key'),
    newPlanKey: planKey('new_plan_key'),
    oldPlanLabel: varchar('old_plan_label', { length: 64 }),
    newPlanLabel: varchar('new_plan_label', { length: 64 }),
    oldPriceUsd: numeric('old_price_usd', { precision: 6, scale: 2 }),
    newPriceUsd: numeric('new_price_usd', { precision: 6, scale: 2 }),
    wasTrial: boolean('was_trial').notNull().default(false),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_plan_history_user_idx').on(t.userId, t.effectiveFrom)],
);

/** Per subject (a user, or the org whose plan applies), feature, period and UTC period start. */
export const usageCounters = plansSchema.table(
  'usage_counters',
  {
    subject: uuid('subject').notNull(),
    /** user | org */
    subjectKind: varchar('subject_kind', { length: 8 }).notNull(),
    feature: varchar('feature', { length: 32 }).notNull(),
    /** day | month */
    period: varchar('period', { length: 8 }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    used: count('used').notNull().default(0),
    updatedAt: updated(),
  },
  (t) => [
    primaryKey({ columns: [t.subject, t.feature, t.period, t.periodStart] }),
    check('usage_counters_subject_kind_check', sql`${t.subjectKind} in ('user', 'org')`),
    check('usage_counters_period_check', sql`${t.period} in ('day', 'month')`),
    check('usage_counters_used_check', sql`${t.used} >= 0`),
    index('usage_counters_period_start_idx').on(t.periodStart),
  ],
);

/** Seed 002 `credits`: one balance per owner (a user or an org), never negative. */
export const creditAccounts = plansSchema.table(
  'credit_accounts',
  {
    ownerId: uuid('owner_id').primaryKey(),
    balance: count('balance').notNull().default(0),
    updatedAt: updated(),
  },
  (t) => [check('credit_accounts_balance_check', sql`${t.balance} >= 0`)],
);

/** Every change of a balance, with the balance it left. */
export const creditLedger = plansSchema.table(
  'credit_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => creditAccounts.ownerId),
    delta: count('delta').notNull(),
    balanceAfter: count('balance_after').notNull(),
    reason: varchar('reason', { length: 64 }).notNull(),
    /** What the change was for (an order, a job, `referral:CODE`); erased with the user. */
    reference: varchar('reference', { length: 200 }),
    createdAt: created(),
  },
  (t) => [
    check('credit_ledger_delta_check', sql`${t.delta} <> 0`),
    check('credit_ledger_balance_after_check', sql`${t.balanceAfter} >= 0`),
    index('credit_ledger_owner_idx').on(t.ownerId, t.id),
  ],
);

/** Seed 000 `03_reward_log`: each user's code to hand out. */
export const referralCodes = plansSchema.table('referral_codes', {
  userId: uuid('user_id').primaryKey(),
  code: varchar('code', { length: 16 }).notNull().unique(),
  createdAt: created(),
});

/**
 * Seed 000 `03_reward_log`. A mission pays once per user (unique user, kind, mission key). A
 * referral writes two rows, one per side, both naming the referred user: a user can be referred
 * once, and a referrer is rewarded once per referred user.
 */
export const rewardLog = plansSchema.table(
  'reward_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull(),
    /** referral | mission */
    kind: varchar('kind', { length: 16 }).notNull(),
    amount: count('amount').notNull(),
    referralCode: varchar('referral_code', { length: 16 }),
    missionKey: varchar('mission_key', { length: 64 }),
    /** The user who redeemed the code (on both rows of a referral); nulled when that user is erased. */
    referredUserId: uuid('referred_user_id'),
    createdAt: created(),
  },
  (t) => [
    unique('reward_log_user_kind_mission_key').on(t.userId, t.kind, t.missionKey),
    uniqueIndex('reward_log_referral_key').on(t.userId, t.referredUserId).where(sql`${t.kind} = 'referral'`),
    check('reward_log_kind_check', sql`${t.kind} in ('referral', 'mission')`),
    check('reward_log_amount_check', sql`${t.amount} > 0`),
    check(
      'reward_log_shape_check',
      sql`(${t.kind} = 'mission' and ${t.missionKey} is not null)
        or (${t.kind} = 'referral' and ${t.referralCode} is not null and ${t.missionKey} is null)`,
    ),
  ],
);

/** Seed 002 `rate_limit_configs`: one row per plan or per API key (exactly one of the two). */
export const rateLimitConfigs = plansSchema.table(
  'rate_limit_configs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    planKey: planKey('plan_key')
      .unique()
      .references(() => planCatalog.planKey),
    /** An identity API key id (plain id: identity owns the keys). */
    apiKeyId: uuid('api_key_id').unique(),
    maxRequests: integer('max_requests').notNull(),
    windowSeconds: integer('window_seconds').notNull(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    check('rate_limit_configs_target_check', sql`num_nonnulls(${t.planKey}, ${t.apiKeyId}) = 1`),
    check('rate_limit_configs_max_check', sql`${t.maxRequests} > 0`),
    check('rate_limit_configs_window_check', sql`${t.windowSeconds} between 1 and 86400`),
  ],
);
