import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { type Credits, createCredits } from '../credits/credits.service.js';
import { erasePlansUser } from '../plans.erase.js';
import { createRewards, type Rewards, referralCodePattern } from './rewards.service.js';

describe.each(testDatabases)('rewards on $kind', (target) => {
  let t: OpenedTestDatabase;
  let rewards: Rewards;
  let credits: Credits;
  beforeAll(async () => {
    t = await target.open();
    rewards = createRewards({ db: t.db, referralRewards: { referrer: 100, referred: 50 } });
    credits = createCredits({ db: t.db });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('gives each user one stable code, even when asked concurrently', async () => {
    const userId = randomUUID();
    const codes = await Promise.all(Array.from({ length: 5 }, () => rewards.referralCode(userId)));
    expect(new Set(codes).size).toBe(1);
    expect(codes[0]).toMatch(referralCodePattern);
    expect(await rewards.referralCode(userId)).toBe(codes[0]);
  });

  it('rewards both sides of a referral once, into the credits ledger', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const carol = randomUUID();
    const code = await rewards.referralCode(alice);
    const redeemed = await rewards.redeemReferral(bob, code.toLowerCase());
    expect(redeemed).toEqual({ code, reward: 50, referrerReward: 100, balance: 50 });
    expect((await credits.balance(alice)).balance).toBe(100);
    const [entry] = await credits.ledger(bob);
    expect(entry).toMatchObject({ delta: 50, reason: 'referral', reference: `referral:${code}` });

    // Bob can be referred once only, by anyone.
    const carolsCode = await rewards.referralCode(carol);
    await expect(rewards.redeemReferral(bob, code)).rejects.toMatchObject({ code: 'conflict' });
    await expect(rewards.redeemReferral(bob, carolsCode)).rejects.toMatchObject({ code: 'conflict' });
    // Alice is rewarded again for another referred user.
    await rewards.redeemReferral(carol, code);
    expect((await credits.balance(alice)).balance).toBe(200);
    // Not your own code; not an unknown one.
    await expect(rewards.redeemReferral(alice, code)).rejects.toMatchObject({
      code: 'bad_request',
      details: { errors: [{ field: 'code', message: 'is your own code' }] },
    });
    await expect(rewards.redeemReferral(randomUUID(), 'ZZZZZZZZ')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      rewards.redeemReferral(randomUUID(), "'; drop table plans.reward_log; --"),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('pays concurrent redemptions by one user once', async () => {
    const referrer = randomUUID();
    const user = randomUUID();
    const code = await rewards.referralCode(referrer);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => rewards.redeemReferral(user, code)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await credits.balance(referrer)).balance).toBe(100);
    expect((await credits.balance(user)).balance).toBe(50);
  });

  it('pays a mission once per user', async () => {
    const userId = randomUUID();
    expect(await rewards.completeMission(userId, 'first_commit', 20)).toEqual({
      rewarded: true,
      balance: 20,
    });
    expect(await rewards.completeMission(userId, 'first_commit', 20)).toEqual({
      rewarded: false,
      balance: null,
    });
    expect(await rewards.completeMission(userId, 'connect.slack', 5)).toEqual({
      rewarded: true,
      balance: 25,
    });
    await expect(rewards.completeMission(userId, 'Bad Key', 5)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(rewards.completeMission(userId, 'other', 0)).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it("erases a user's plan, usage, code and rewards, and keeps the ledger's amounts without references", async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const code = await rewards.referralCode(alice);
    await rewards.redeemReferral(bob, code);
    await rewards.completeMission(bob, 'first_commit', 20);
    await t.db.query(`insert into plans.user_plans (user_id, plan_key) values ($1, 'free')`, [bob]);
    await t.db.query(`update plans.user_plans set plan_key = 'basic' where user_id = $1`, [bob]);
    await t.db.query(
      `insert into plans.usage_counters (subject, subject_kind, feature, period, period_start, used)
       values ($1, 'user', 'commits', 'day', '2026-01-01', 3)`,
      [bob],
    );
    await rewards.referralCode(bob);

    const counts = await t.db.transaction((tx) => erasePlansUser(tx, bob));
    expect(counts).toEqual({
      user_plans: 1,
      user_plan_history: 1,
      usage_counters: 1,
      referral_codes: 1,
      reward_log: 2,
      reward_log_referrals: 1,
      credit_ledger: 2,
    });
    const ledger = await credits.ledger(bob);
    expect(ledger.map((e) => [e.delta, e.reference])).toEqual([
      [20, null],
      [50, null],
    ]);
    expect((await credits.balance(bob)).balance).toBe(70);
    // Alice keeps her reward; it no longer says whom she referred.
    const rows = await t.db.query<{ referred_user_id: string | null }>(
      `select referred_user_id from plans.reward_log where user_id = $1`,
      [alice],
    );
    expect(rows).toEqual([{ referred_user_id: null }]);
    expect((await credits.balance(alice)).balance).toBe(100);
  });
});
