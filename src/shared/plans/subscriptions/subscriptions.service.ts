import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { findOrganization } from '../../identity/index.js';
import { FREE_PLAN, type Plan } from '../catalog/catalog.schema.js';
import type { Catalog } from '../catalog/catalog.store.js';
import {
  endExpiredTrials,
  findUserPlan,
  type PlanChangeRow,
  planHistory,
  saveUserPlan,
  type UserPlanRow,
} from './subscriptions.repository.js';

/** Who is asking: a signed-in user, acting in an org or not (a `Principal` fits). */
export interface Member {
  userId: string;
  orgId?: string | null;
}

/** The plan that applies to a member right now, and whose counters it meters. */
export interface EffectivePlan {
  plan: Plan;
  /** The org when an org's plan applies to its members, else the user. */
  subject: { kind: 'user' | 'org'; id: string };
  trial: { active: boolean; endsAt: Date | null };
}

export interface UserPlanView {
  userId: string;
  planKey: string;
  isTrialActive: boolean;
  trialEndsAt: Date | null;
  /** null while the user has never had a plan row (on 'free' by default). */
  startedAt: Date | null;
  updatedAt: Date | null;
}

export type { PlanChangeRow };

/**
 * Which plan each user is on, trials, and the org plans that apply to members.
 *
 * @example
 * await subscriptions.setUserPlan(userId, 'basic', { trial: true }); // 14-day trial
 * (await subscriptions.effectivePlan({ userId, orgId: null })).plan.plan_key; // 'basic'
 */
export interface Subscriptions {
  effectivePlan(member: Member, conn?: SqlConnection): Promise<EffectivePlan>;
  /** Throws validation_failed for a plan not in the catalog, or a trial of a plan without one. */
  setUserPlan(userId: string, planKey: string, options?: { trial?: boolean }): Promise<UserPlanView>;
  userPlan(userId: string): Promise<UserPlanView>;
  history(userId: string, limit?: number): Promise<PlanChangeRow[]>;
  /** Ends trials whose time is up (the daily job); returns the users moved back to 'free'. */
  expireTrials(): Promise<string[]>;
}

export interface SubscriptionsDeps {
  db: Database;
  catalog: () => Catalog;
  now: () => Date;
}

const DAY_MS = 86_400_000;
/** Only these contracts let an org's plan apply to its members (identity's contract_status). */
const liveContracts = new Set(['trial', 'active']);

export function createSubscriptions({ db, catalog, now }: SubscriptionsDeps): Subscriptions {
  const free = () => {
    const plan = catalog().get(FREE_PLAN);
    if (!plan) throw new Error(`the plan catalog has no "${FREE_PLAN}" plan`);
    return plan;
  };

  return {
    async effectivePlan(member, conn = db) {
      if (member.orgId) {
        const org = await findOrganization(conn, member.orgId);
        const plan = org?.active && liveContracts.has(org.contractStatus) && catalog().get(org.planKey);
        if (plan) {
          return {
            plan,
            subject: { kind: 'org', id: member.orgId },
            trial: { active: org.contractStatus === 'trial', endsAt: null },
          };
        }
      }
      const row = await findUserPlan(conn, member.userId);
      const subject = { kind: 'user' as const, id: member.userId };
      // A trial past its end is over even before the daily job moves the row back to 'free'.
      const expired = row?.isTrialActive && row.trialEndsAt !== null && row.trialEndsAt <= now();
      const plan = row && !expired ? catalog().get(row.planKey) : undefined;
      if (!row || !plan) return { plan: free(), subject, trial: { active: false, endsAt: null } };
      return { plan, subject, trial: { active: row.isTrialActive, endsAt: row.trialEndsAt } };
    },

    async setUserPlan(userId, planKey, options = {}) {
      const plan = catalog().get(planKey);
      if (!plan) {
        throw invalid('plan_key', `"${planKey}" is not a plan of the catalog`);
      }
      if (options.trial && plan.trial_days === 0) {
        throw invalid('trial', `the ${plan.plan_label} plan has no trial`);
      }
      const trialEndsAt = options.trial ? new Date(now().getTime() + plan.trial_days * DAY_MS) : null;
      const row = await db.transaction((tx) => saveUserPlan(tx, userId, planKey, trialEndsAt));
      return view(row);
    },

    async userPlan(userId) {
      const row = await findUserPlan(db, userId);
      return row
        ? view(row)
        : {
            userId,
            planKey: FREE_PLAN,
            isTrialActive: false,
            trialEndsAt: null,
            startedAt: null,
            updatedAt: null,
          };
    },

    history: (userId, limit = 50) => planHistory(db, userId, limit),

    expireTrials: () => endExpiredTrials(db, now()),
  };
}

function view(row: UserPlanRow): UserPlanView {
  return { ...row };
}

/** A field error without a location prefix: routes check the same things first, with theirs. */
function invalid(field: string, message: string): KeelError {
  return new KeelError('validation_failed', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });
}
