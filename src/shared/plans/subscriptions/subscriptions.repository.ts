import type { SqlConnection } from '../../../kernel/db/index.js';
import { FREE_PLAN } from '../catalog/catalog.schema.js';

export interface UserPlanRow {
  userId: string;
  planKey: string;
  isTrialActive: boolean;
  trialEndsAt: Date | null;
  startedAt: Date;
  updatedAt: Date;
}

export interface PlanChangeRow {
  id: number;
  oldPlanKey: string | null;
  newPlanKey: string | null;
  oldPlanLabel: string | null;
  newPlanLabel: string | null;
  oldPriceUsd: number | null;
  newPriceUsd: number | null;
  wasTrial: boolean;
  effectiveFrom: Date;
}

const userPlanColumns = `user_id as "userId", plan_key as "planKey", is_trial_active as "isTrialActive",
  trial_ends_at as "trialEndsAt", started_at as "startedAt", updated_at as "updatedAt"`;

export async function findUserPlan(conn: SqlConnection, userId: string): Promise<UserPlanRow | null> {
  const [row] = await conn.query<UserPlanRow>(
    `select ${userPlanColumns} from plans.user_plans where user_id = $1`,
    [userId],
  );
  return row ?? null;
}

/**
 * Puts `userId` on `planKey`. A user without a row is on 'free': the row is created on 'free'
 * first and then updated, so the history trigger logs the very first change too.
 */
export async function saveUserPlan(
  conn: SqlConnection,
  userId: string,
  planKey: string,
  trialEndsAt: Date | null,
): Promise<UserPlanRow> {
  await conn.query(
    `insert into plans.user_plans (user_id, plan_key) values ($1, $2) on conflict (user_id) do nothing`,
    [userId, FREE_PLAN],
  );
  const [row] = await conn.query<UserPlanRow>(
    `update plans.user_plans
        set plan_key = $2::varchar,
            is_trial_active = $3::timestamptz is not null,
            trial_ends_at = $3::timestamptz,
            started_at = case when plan_key = $2::varchar then started_at else now() end,
            updated_at = now()
      where user_id = $1
      returning ${userPlanColumns}`,
    [userId, planKey, trialEndsAt],
  );
  if (!row) throw new Error(`user plan row of ${userId} vanished during its update`);
  return row;
}

/** Moves every user whose trial ended by `now` back to 'free' (the trigger logs each move). */
export async function endExpiredTrials(conn: SqlConnection, now: Date): Promise<string[]> {
  const rows = await conn.query<{ userId: string }>(
    `update plans.user_plans
        set plan_key = $2::varchar, is_trial_active = false, started_at = now(), updated_at = now()
      where is_trial_active and trial_ends_at <= $1
      returning user_id as "userId"`,
    [now, FREE_PLAN],
  );
  return rows.map((r) => r.userId);
}

export async function planHistory(
  conn: SqlConnection,
  userId: string,
  limit: number,
): Promise<PlanChangeRow[]> {
  const rows = await conn.query<PlanChangeRow>(
    `select id, old_plan_key as "oldPlanKey", new_plan_key as "newPlanKey", old_plan_label as "oldPlanLabel",
            new_plan_label as "newPlanLabel", old_price_usd as "oldPriceUsd", new_price_usd as "newPriceUsd",
            was_trial as "wasTrial", effective_from as "effectiveFrom"
       from plans.user_plan_history where user_id = $1 order by id desc limit $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    oldPriceUsd: r.oldPriceUsd === null ? null : Number(r.oldPriceUsd),
    newPriceUsd: r.newPriceUsd === null ? null : Number(r.newPriceUsd),
  }));
}

export async function eraseUserPlans(conn: SqlConnection, userId: string): Promise<Record<string, number>> {
  const plans = await conn.query('delete from plans.user_plans where user_id = $1 returning 1', [userId]);
  const history = await conn.query('delete from plans.user_plan_history where user_id = $1 returning 1', [
    userId,
  ]);
  return { user_plans: plans.length, user_plan_history: history.length };
}
