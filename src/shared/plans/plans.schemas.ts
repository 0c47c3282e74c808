import { z } from 'zod';
import { planKeySchema, planSchema } from './catalog/catalog.schema.js';
import { MAX_CREDIT_AMOUNT, reasonPattern, referencePattern } from './credits/credits.service.js';
import { referralCodePattern } from './rewards/rewards.service.js';
import { features } from './usage/usage.features.js';

/** The HTTP shapes of the plans routes (snake_case, like the catalog's own fields). */

const timestamp = z.iso.datetime();
const count = z.int().min(0);

export const catalogResponse = z.object({
  plans: z.array(planSchema),
  /** When this catalog was loaded (start, or the last hot reload). */
  loaded_at: timestamp,
});

export const usageLineSchema = z.object({
  feature: z.enum(features),
  period: z.enum(['day', 'month']),
  /** null: unlimited on this plan. */
  limit: count.nullable(),
  used: count,
  remaining: count.nullable(),
  resets_at: timestamp,
});

export const myPlanResponse = z.object({
  plan: planSchema,
  /** Whose plan and counters these are: the org's when an org plan applies to its members. */
  subject: z.object({ kind: z.enum(['user', 'org']), id: z.uuid() }),
  trial: z.object({ active: z.boolean(), ends_at: timestamp.nullable() }),
  usage: z.array(usageLineSchema),
});

export const userParams = z.strictObject({ userId: z.uuid() });

export const setUserPlanBody = z.strictObject({
  plan_key: planKeySchema,
  /** Start the plan's trial (trial_days of the catalog) instead of the paid plan. */
  trial: z.boolean().default(false),
});

export const userPlanSchema = z.object({
  user_id: z.uuid(),
  plan_key: z.string(),
  is_trial_active: z.boolean(),
  trial_ends_at: timestamp.nullable(),
  /** null while the user has never had a plan (on 'free' by default). */
  started_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});

export const planChangeSchema = z.object({
  id: z.int(),
  old_plan_key: z.string().nullable(),
  new_plan_key: z.string().nullable(),
  old_plan_label: z.string().nullable(),
  new_plan_label: z.string().nullable(),
  old_price_usd: z.number().nullable(),
  new_price_usd: z.number().nullable(),
  was_trial: z.boolean(),
  effective_from: timestamp,
});

export const userPlanResponse = z.object({ plan: userPlanSchema, history: z.array(planChangeSchema) });

export const ledgerEntrySchema = z.object({
  id: z.int(),
  delta: z.int(),
  balance_after: count,
  reason: z.string(),
  reference: z.string().nullable(),
  created_at: timestamp,
});

export const creditsQuery = z.strictObject({
  /** Another owner (a user or an org): needs credits.manage. Default: the caller. */
  owner_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Entries older than this entry id (paging). */
  before: z.coerce.number().int().positive().optional(),
});

export const creditsResponse = z.object({
  owner_id: z.uuid(),
  balance: count,
  updated_at: timestamp.nullable(),
  entries: z.array(ledgerEntrySchema),
});

export const reasonSchema = z
  .string()
  .max(64)
  .regex(reasonPattern, 'must be 1-64 characters: a-z, 0-9 and _ . : - (starting with a letter or digit)');
export const referenceSchema = z
  .string()
  .max(200)
  .regex(referencePattern, 'must be 1-200 characters: letters, digits and _ . : / # @ + = -');

export const grantBody = z.strictObject({
  owner_id: z.uuid(),
  amount: z.int().min(1).max(MAX_CREDIT_AMOUNT),
  reason: reasonSchema,
  reference: referenceSchema.optional(),
});

export const grantResponse = z.object({ owner_id: z.uuid(), balance: count, entry: ledgerEntrySchema });

export const referralCodeResponse = z.object({ code: z.string() });

export const redeemBody = z.strictObject({
  /** Case does not matter. */
  code: z
    .string()
    .max(16)
    .regex(new RegExp(referralCodePattern.source, 'i'), 'must be 8 characters: A-Z without I, L, O, and 2-9'),
});

export const redeemResponse = z.object({
  code: z.string(),
  /** Credits the redeeming user received. */
  reward: count,
  /** Credits the code's owner received. */
  referrer_reward: count,
  /** The redeeming user's balance afterwards. */
  balance: count,
});

export const rateLimitSchema = z.object({
  plan_key: z.string().nullable(),
  api_key_id: z.uuid().nullable(),
  max_requests: z.int().min(1),
  window_seconds: z.int().min(1),
  updated_at: timestamp,
});

export const rateLimitsResponse = z.object({
  rate_limits: z.array(rateLimitSchema),
  /** What callers without a plan row or credentials get. */
  default: z.object({ max_requests: z.int(), window_seconds: z.int() }),
});

const ruleFields = {
  max_requests: z.int().min(1).max(1_000_000),
  window_seconds: z.int().min(1).max(86_400),
};

/** Exactly one target: a plan or an API key. */
export const setRateLimitBody = z
  .strictObject({ plan_key: planKeySchema.optional(), api_key_id: z.uuid().optional(), ...ruleFields })
  .refine((body) => (body.plan_key === undefined) !== (body.api_key_id === undefined), {
    path: ['plan_key'],
    message: 'give exactly one of plan_key and api_key_id',
  });

/** RFC 9457 problem details as Keel sends them (see docs/errors.md); for the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string(),
    trace_uuid: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .loose();
