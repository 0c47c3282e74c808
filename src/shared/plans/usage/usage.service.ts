import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Plan } from '../catalog/catalog.schema.js';
import type { EffectivePlan, Member, Subscriptions } from '../subscriptions/subscriptions.service.js';
import {
  type Feature,
  featureLimits,
  features,
  type Period,
  periodEnd,
  periodStart,
} from './usage.features.js';
import { addToCounter, type CounterKey, readCounters } from './usage.repository.js';

/** One metered limit of the current plan and how much of it is used. */
export interface UsageLine {
  feature: Feature;
  period: Period;
  /** null: unlimited on this plan. */
  limit: number | null;
  used: number;
  remaining: number | null;
  resetsAt: Date;
}

export interface UsageReport {
  /** The plan the lines were measured against, and whose counters they are. */
  effective: EffectivePlan;
  lines: UsageLine[];
}

/** The largest amount one call may consume (a sanity bound, far above any plan limit). */
export const MAX_USAGE_AMOUNT = 1_000_000;

/**
 * Metered features against the member's effective plan (seed 001 §6-3 `enforce_limit`).
 *
 * @example
 * await usage.enforceLimit(request.principal, 'commits'); // throws rate_limited (429) when over
 * const report = await usage.usage(request.principal);
 */
export interface Usage {
  /**
   * Counts `amount` uses of `feature` for the member (for the org when an org plan applies), or
   * throws KeelError('rate_limited') naming the feature, the limit, the period, the count and when
   * it resets, without counting anything. Check and count are one atomic step.
   */
  enforceLimit(member: Member, feature: Feature, amount?: number): Promise<UsageLine[]>;
  usage(member: Member): Promise<UsageReport>;
}

export interface UsageDeps {
  db: Database;
  subscriptions: Subscriptions;
  now: () => Date;
}

export function createUsage({ db, subscriptions, now }: UsageDeps): Usage {
  return {
    async enforceLimit(member, feature, amount = 1) {
      const limits = featureLimits[feature];
      if (!limits) {
        throw new KeelError('validation_failed', `feature: "${String(feature)}" is not metered`, {
          details: { errors: [{ field: 'feature', message: `must be one of ${features.join(', ')}` }] },
        });
      }
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_USAGE_AMOUNT) {
        throw new KeelError(
          'validation_failed',
          `amount: must be a whole number from 1 to ${MAX_USAGE_AMOUNT}`,
          {
            details: {
              errors: [{ field: 'amount', message: `must be a whole number from 1 to ${MAX_USAGE_AMOUNT}` }],
            },
          },
        );
      }
      const at = now();
      return db.transaction(async (tx) => {
        const effective = await subscriptions.effectivePlan(member, tx);
        const lines: UsageLine[] = [];
        // Always day before month: every caller locks counter rows in the same order.
        for (const { period, column } of limits) {
          const limit = effective.plan[column];
          const key: CounterKey = {
            subject: effective.subject.id,
            subjectKind: effective.subject.kind,
            feature,
            period,
            periodStart: periodStart(period, at),
          };
          const used = limit !== null && amount > limit ? null : await addToCounter(tx, key, amount, limit);
          if (used === null) {
            const current = (await readCounters(tx, key.subject, [key])).get(`${feature}/${period}`) ?? 0;
            // Thrown inside the transaction: a day already counted is rolled back with it.
            throw overLimit(
              effective.plan,
              feature,
              period,
              limit ?? 0,
              current,
              periodEnd(period, key.periodStart),
            );
          }
          lines.push(line(feature, period, limit, used, periodEnd(period, key.periodStart)));
        }
        return lines;
      });
    },

    async usage(member) {
      const at = now();
      const effective = await subscriptions.effectivePlan(member);
      const periods = (['day', 'month'] as const).map((period) => ({
        period,
        periodStart: periodStart(period, at),
      }));
      const counts = await readCounters(db, effective.subject.id, periods);
      const lines = features.flatMap((feature) =>
        featureLimits[feature].map(({ period, column }) => {
          const start = periodStart(period, at);
          const used = counts.get(`${feature}/${period}`) ?? 0;
          return line(feature, period, effective.plan[column], used, periodEnd(period, start));
        }),
      );
      return { effective, lines };
    },
  };
}

function line(
  feature: Feature,
  period: Period,
  limit: number | null,
  used: number,
  resetsAt: Date,
): UsageLine {
  return {
    feature,
    period,
    limit,
    used,
    remaining: limit === null ? null : Math.max(0, limit - used),
    resetsAt,
  };
}

function overLimit(
  plan: Plan,
  feature: Feature,
  period: Period,
  limit: number,
  used: number,
  resetsAt: Date,
): KeelError {
  const message =
    `The ${plan.plan_label} plan allows ${limit} ${feature} per ${period}; ${used} used. ` +
    `The limit resets at ${resetsAt.toISOString()}.`;
  return new KeelError('rate_limited', message, {
    details: { feature, limit, period, used, resets_at: resetsAt.toISOString(), plan_key: plan.plan_key },
  });
}
