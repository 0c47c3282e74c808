import type { SqlConnection } from '../../kernel/db/index.js';
import { anonymizeLedger } from './credits/credits.repository.js';
import { eraseUserRewards } from './rewards/rewards.repository.js';
import { eraseUserPlans } from './subscriptions/subscriptions.repository.js';
import { eraseUserCounters } from './usage/usage.repository.js';

/**
 * GDPR erasure of one user (seed 000 `10_del_req`): their plan and its history, usage counters,
 * referral code and rewards are deleted; credit ledger rows keep their amounts (the books must
 * add up) but lose their reference. Org counters and balances are the org's and stay.
 */
export async function erasePlansUser(tx: SqlConnection, userId: string): Promise<Record<string, number>> {
  return {
    ...(await eraseUserPlans(tx, userId)),
    ...(await eraseUserCounters(tx, userId)),
    ...(await eraseUserRewards(tx, userId)),
    ...(await anonymizeLedger(tx, userId)),
  };
}
