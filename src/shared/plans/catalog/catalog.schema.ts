import { z } from 'zod';

/** What int4 columns hold. */
const INT4_MAX = 2_147_483_647;

/** `plan_key`: a short lowercase identifier (organizations store it in a varchar(32) too). */
export const planKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be 1-32 characters: a lowercase letter, then a-z, 0-9 or _');

/** A limit: a whole number >= 0, or null for unlimited (seed 001's UNLIMITED). */
const limit = z.int().min(0).max(INT4_MAX).nullable();
const flag = z.boolean();

/** numeric(6,2): 0 to 9999.99 with at most two decimals. */
const price = z
  .number()
  .min(0)
  .max(9999.99)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'must have at most two decimals');

/**
 * One plan, as the catalog file, the `plan_catalog` table and the API all spell it (seed 001
 * §6-1's column names). Every field is required, so a typo cannot silently fall back to a default.
 */
export const planFieldsSchema = z.strictObject({
  plan_label: z.string().trim().min(1).max(64),
  monthly_price_usd: price,
  max_commits_per_day: limit,
  max_commits_per_month: limit,
  max_describes_per_month: limit,
  max_uploads_per_day: limit,
  /** Largest document one upload may be, in MiB (knowledge's upload route; 413 above it). */
  max_upload_mb: limit,
  kakao_noti_remaining: limit,
  slack_enabled: flag,
  ad_layer_enabled: flag,
  instant_commit_generation: flag,
  save_commit_message: flag,
  save_describe_enabled: flag,
  commit_report_enabled: flag,
  visualization_report_enabled: flag,
  prompt_personalization_enabled: flag,
  /** Days content is kept; null keeps it forever. */
  data_retention_days: limit,
  team_features_enabled: flag,
  trial_days: z.int().min(0).max(3650),
  plan_order: z.int().min(0).max(INT4_MAX),
  is_team_plan: flag,
});

export const planSchema = z.strictObject({ plan_key: planKeySchema, ...planFieldsSchema.shape });

/** One plan of the catalog. */
export type Plan = z.infer<typeof planSchema>;

/** The fallback plan: users without a plan row, expired trials. Every catalog must define it. */
export const FREE_PLAN = 'free';

/** `config/plan_catalog.yml`: `plans:` maps each plan key to its fields. */
export const catalogFileSchema = z
  .strictObject({
    plans: z.record(planKeySchema, planFieldsSchema),
  })
  .superRefine((file, ctx) => {
    if (!(FREE_PLAN in file.plans)) {
      ctx.addIssue({
        code: 'custom',
        path: ['plans', FREE_PLAN],
        message: 'is required (the fallback plan)',
      });
    }
    const byOrder = new Map<number, string>();
    for (const [key, plan] of Object.entries(file.plans)) {
      const other = byOrder.get(plan.plan_order);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['plans', key, 'plan_order'],
          message: `${plan.plan_order} is already the plan_order of ${other}; each plan needs its own`,
        });
      }
      byOrder.set(plan.plan_order, key);
    }
  });

/** A catalog file problem, named the way an operator would look for it. */
export interface CatalogProblem {
  /** Dotted path in the file (`plans.basic.max_commits_per_day`), or `file` for the whole file. */
  field: string;
  reason: string;
}

/** Validates parsed YAML: the plans in plan order, or the first problem. */
export function validateCatalogFile(data: unknown): { plans: Plan[] } | { problem: CatalogProblem } {
  const parsed = catalogFileSchema.safeParse(data);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'file';
    return { problem: { field, reason: issue?.message ?? 'is invalid' } };
  }
  const plans = Object.entries(parsed.data.plans)
    .map(([plan_key, fields]) => ({ plan_key, ...fields }))
    .sort((a, b) => a.plan_order - b.plan_order);
  return { plans };
}
