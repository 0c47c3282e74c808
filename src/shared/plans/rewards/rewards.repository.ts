import type { SqlConnection } from '../../../kernel/db/index.js';

export async function findCodeOf(conn: SqlConnection, userId: string): Promise<string | null> {
  const [row] = await conn.query<{ code: string }>(
    'select code from plans.referral_codes where user_id = $1',
    [userId],
  );
  return row?.code ?? null;
}

export async function findCodeOwner(conn: SqlConnection, code: string): Promise<string | null> {
  const [row] = await conn.query<{ userId: string }>(
    'select user_id as "userId" from plans.referral_codes where code = $1',
    [code],
  );
  return row?.userId ?? null;
}

/**
 * Gives `userId` the code unless they have one. Returns false when they already had one; throws
 * the unique violation (23505) when another user holds `code`.
 */
export async function insertCode(conn: SqlConnection, userId: string, code: string): Promise<boolean> {
  const rows = await conn.query(
    'insert into plans.referral_codes (user_id, code) values ($1, $2) on conflict (user_id) do nothing returning 1',
    [userId, code],
  );
  return rows.length > 0;
}

export type RewardRow =
  | { kind: 'referral'; userId: string; amount: number; referralCode: string; referredUserId: string }
  | { kind: 'mission'; userId: string; amount: number; missionKey: string };

/** Logs a reward unless its unique key already holds one; returns whether it was logged. */
export async function logReward(conn: SqlConnection, reward: RewardRow): Promise<boolean> {
  const rows = await conn.query(
    `insert into plans.reward_log (user_id, kind, amount, referral_code, mission_key, referred_user_id)
     values ($1, $2, $3, $4, $5, $6)
     on conflict do nothing
     returning 1`,
    [
      reward.userId,
      reward.kind,
      reward.amount,
      reward.kind === 'referral' ? reward.referralCode : null,
      reward.kind === 'mission' ? reward.missionKey : null,
      reward.kind === 'referral' ? reward.referredUserId : null,
    ],
  );
  return rows.length > 0;
}

/**
 * Deletes the user's code and rewards; the referrers' rows that name the user keep their amount
 * but forget who was referred.
 */
export async function eraseUserRewards(conn: SqlConnection, userId: string): Promise<Record<string, number>> {
  const codes = await conn.query('delete from plans.referral_codes where user_id = $1 returning 1', [userId]);
  const rewards = await conn.query('delete from plans.reward_log where user_id = $1 returning 1', [userId]);
  const referrals = await conn.query(
    `update plans.reward_log set referred_user_id = null where referred_user_id = $1 returning 1`,
    [userId],
  );
  return { referral_codes: codes.length, reward_log: rewards.length, reward_log_referrals: referrals.length };
}
