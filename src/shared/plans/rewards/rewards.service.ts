import { randomBytes } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import { grantCredits, MAX_CREDIT_AMOUNT } from '../credits/credits.service.js';
import { findCodeOf, findCodeOwner, insertCode, logReward } from './rewards.repository.js';

/** Credits a referral pays: to the user whose code was redeemed, and to the user who redeemed it. */
export interface ReferralRewards {
  referrer: number;
  referred: number;
}

export const defaultReferralRewards: ReferralRewards = { referrer: 100, referred: 50 };

/** Codes as handed out: 8 characters without look-alikes (no 0/O, 1/I/L). */
export const referralCodePattern = /^[A-HJ-KM-NP-Z2-9]{8}$/;
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Mission keys name a mission: `first_commit`, `connect.slack`. */
export const missionKeyPattern = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

export interface Redeemed {
  code: string;
  reward: number;
  referrerReward: number;
  /** The redeeming user's balance afterwards. */
  balance: number;
}

/**
 * Seed 000 `03_reward_log`: referral codes and missions, paid into the credits ledger.
 *
 * @example
 * const code = await rewards.referralCode(alice);
 * await rewards.redeemReferral(bob, code); // both credited, once
 * await rewards.completeMission(bob, 'first_commit', 20); // { rewarded: true } the first time only
 */
export interface Rewards {
  /** The user's referral code, created on first use. */
  referralCode(userId: string): Promise<string>;
  /**
   * Rewards both sides once: not found (404) for an unknown code, bad_request for one's own code,
   * conflict (409) when the user has already redeemed a code.
   */
  redeemReferral(userId: string, code: string): Promise<Redeemed>;
  /** Pays a mission once per user; later calls return `{ rewarded: false }`. */
  completeMission(
    userId: string,
    missionKey: string,
    amount: number,
  ): Promise<{ rewarded: boolean; balance: number | null }>;
}

export function createRewards({
  db,
  referralRewards = defaultReferralRewards,
}: {
  db: Database;
  referralRewards?: ReferralRewards;
}): Rewards {
  return {
    async referralCode(userId) {
      const existing = await findCodeOf(db, userId);
      if (existing) return existing;
      for (let attempt = 0; ; attempt++) {
        try {
          if (await insertCode(db, userId, newCode())) break;
          break; // Another request created this user's code first.
        } catch (error) {
          // 23505: the code is another user's (31^8 ≈ 8.5·10^11 codes exist); draw again.
          if (!isUniqueViolation(error) || attempt >= 4) throw error;
        }
      }
      const code = await findCodeOf(db, userId);
      if (!code) throw new Error(`referral code of ${userId} vanished after its insert`);
      return code;
    },

    async redeemReferral(userId, rawCode) {
      const code = rawCode.trim().toUpperCase();
      if (!referralCodePattern.test(code)) {
        throw new KeelError('validation_failed', 'code: is not a referral code', {
          details: {
            errors: [{ field: 'code', message: 'must be 8 characters: A-Z without I, L, O, and 2-9' }],
          },
        });
      }
      return db.transaction(async (tx) => {
        const referrer = await findCodeOwner(tx, code);
        if (!referrer) throw new KeelError('not_found', `No referral code ${code}.`);
        if (referrer === userId) {
          throw new KeelError('bad_request', 'You cannot redeem your own referral code.', {
            details: { errors: [{ field: 'code', message: 'is your own code' }] },
          });
        }
        const base = { kind: 'referral' as const, referralCode: code, referredUserId: userId };
        const first = await logReward(tx, { ...base, userId, amount: referralRewards.referred });
        if (!first) throw new KeelError('conflict', 'You have already redeemed a referral code.');
        await logReward(tx, { ...base, userId: referrer, amount: referralRewards.referrer });
        const reference = `referral:${code}`;
        const mine = await grantCredits(tx, userId, referralRewards.referred, 'referral', reference);
        await grantCredits(tx, referrer, referralRewards.referrer, 'referral', reference);
        return {
          code,
          reward: referralRewards.referred,
          referrerReward: referralRewards.referrer,
          balance: mine.balanceAfter,
        };
      });
    },

    async completeMission(userId, missionKey, amount) {
      if (!missionKeyPattern.test(missionKey)) {
        throw new KeelError('validation_failed', 'mission_key: is not a mission key', {
          details: {
            errors: [{ field: 'mission_key', message: 'must be 1-64 characters: a-z, 0-9 and _ . : -' }],
          },
        });
      }
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CREDIT_AMOUNT) {
        throw new KeelError('validation_failed', 'amount: is out of range', {
          details: {
            errors: [{ field: 'amount', message: `must be a whole number from 1 to ${MAX_CREDIT_AMOUNT}` }],
          },
        });
      }
      return db.transaction(async (tx) => {
        const logged = await logReward(tx, { kind: 'mission', userId, amount, missionKey });
        if (!logged) return { rewarded: false, balance: null };
        const entry = await grantCredits(tx, userId, amount, 'mission', `mission:${missionKey}`);
        return { rewarded: true, balance: entry.balanceAfter };
      });
    },
  };
}

function newCode(): string {
  // 256 is not a multiple of 31: draw from 248 values (8 × 31) so every character is equally likely.
  let code = '';
  while (code.length < 8) {
    for (const byte of randomBytes(16)) {
      if (byte < 248 && code.length < 8) code += alphabet[byte % alphabet.length];
    }
  }
  return code;
}
