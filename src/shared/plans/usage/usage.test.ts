import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { memoryLog } from '../../../../test/support/jobs.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { type CatalogStore, createCatalogStore } from '../catalog/catalog.store.js';
import { createPlansService, type PlansService } from '../plans.service.js';
import { periodEnd, periodStart } from './usage.features.js';

async function rejection(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof KeelError)) throw new Error(`expected a KeelError, got ${String(error)}`);
  return error;
}

describe('usage periods', () => {
  it('start and end on UTC day and month boundaries', () => {
    const at = new Date('2026-12-31T23:59:59.999Z');
    expect(periodStart('day', at)).toBe('2026-12-31');
    expect(periodStart('month', at)).toBe('2026-12-01');
    expect(periodEnd('day', '2026-12-31').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEnd('month', '2026-12-01').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEnd('month', '2028-02-01').toISOString()).toBe('2028-03-01T00:00:00.000Z');
  });
});

describe.each(testDatabases)('usage limits on $kind', (target) => {
  let t: OpenedTestDatabase;
  let store: CatalogStore;
  let plans: PlansService;
  let clock = new Date('2026-03-15T10:00:00Z');
  beforeAll(async () => {
    t = await target.open();
    const { log } = memoryLog('warn');
    store = createCatalogStore({ db: t.db, log, path: '/nonexistent/plan_catalog.yml', watch: 'off' });
    await store.start();
    plans = createPlansService({ db: t.db, log, catalog: () => store.current(), now: () => clock });
  });
  afterAll(async () => {
    await store.close();
    await t.drop();
  });

  it('counts a free user against 5 commits a day and names the limit when over it', async () => {
    const member = { userId: randomUUID(), orgId: null };
    for (let i = 1; i <= 5; i++) {
      const lines = await plans.enforceLimit(member, 'commits');
      expect(lines.map((l) => [l.period, l.used, l.limit])).toEqual([
        ['day', i, 5],
        ['month', i, 100],
      ]);
    }
    const error = await rejection(plans.enforceLimit(member, 'commits'));
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.details).toEqual({
      feature: 'commits',
      limit: 5,
      period: 'day',
      used: 5,
      resets_at: '2026-03-16T00:00:00.000Z',
      plan_key: 'free',
    });
    expect(error.message).toContain('Free plan allows 5 commits per day');
    // The refused call counted nothing, not even the month.
    const report = await plans.usage(member);
    expect(report.lines.filter((l) => l.feature === 'commits').map((l) => l.used)).toEqual([5, 5]);

    // The next UTC day starts a new day counter; the month keeps counting.
    clock = new Date('2026-03-16T00:00:01Z');
    const lines = await plans.enforceLimit(member, 'commits', 2);
    expect(lines.map((l) => l.used)).toEqual([2, 7]);
    clock = new Date('2026-03-15T10:00:00Z');
  });

  it('refuses an amount larger than the whole limit without counting, and keeps day and month atomic', async () => {
    const member = { userId: randomUUID() };
    const tooBig = await rejection(plans.enforceLimit(member, 'uploads', 11));
    expect(tooBig.details).toMatchObject({ feature: 'uploads', limit: 10, period: 'day', used: 0 });

    // Month full while the day still has room: the day's increment is rolled back too.
    await plans.setUserPlan(member.userId, 'basic');
    await t.db.query(
      `insert into plans.usage_counters (subject, subject_kind, feature, period, period_start, used)
       values ($1, 'user', 'commits', 'month', '2026-03-01', 1999)`,
      [member.userId],
    );
    await plans.enforceLimit(member, 'commits');
    const monthFull = await rejection(plans.enforceLimit(member, 'commits'));
    expect(monthFull.details).toMatchObject({
      feature: 'commits',
      period: 'month',
      limit: 2000,
      used: 2000,
      resets_at: '2026-04-01T00:00:00.000Z',
    });
    const day = (await plans.usage(member)).lines.find((l) => l.feature === 'commits' && l.period === 'day');
    expect(day?.used).toBe(1);
  });

  it('counts but never refuses an unlimited feature', async () => {
    const member = { userId: randomUUID() };
    await plans.setUserPlan(member.userId, 'premium');
    const lines = await plans.enforceLimit(member, 'describes', 50_000);
    expect(lines).toEqual([
      expect.objectContaining({ period: 'month', limit: null, used: 50_000, remaining: null }),
    ]);
  });

  it('never overshoots under concurrent use', async () => {
    const member = { userId: randomUUID() };
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => plans.enforceLimit(member, 'commits')),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof KeelError && r.reason.code === 'rate_limited',
    ).length;
    expect([ok, refused]).toEqual([5, 25]);
    const [row] = await t.db.query<{ used: number | string }>(
      `select used from plans.usage_counters where subject = $1 and period = 'day'`,
      [member.userId],
    );
    expect(Number(row?.used)).toBe(5);
  });

  it("meters an active org's members against the org's plan and counter", async () => {
    const orgId = randomUUID();
    await t.db.query(
      `insert into identity.organizations (id, name, contract_status, plan_key, active) values ($1, 'Acme', 'active', 'basic', true)`,
      [orgId],
    );
    const alice = { userId: randomUUID(), orgId };
    const bob = { userId: randomUUID(), orgId };
    await plans.enforceLimit(alice, 'uploads', 150);
    const error = await rejection(plans.enforceLimit(bob, 'uploads', 60));
    expect(error.details).toMatchObject({ feature: 'uploads', limit: 200, used: 150, plan_key: 'basic' });
    const report = await plans.usage(bob);
    expect(report.effective.subject).toEqual({ kind: 'org', id: orgId });

    // A suspended contract no longer applies: members fall back to their own plan.
    await t.db.query(`update identity.organizations set contract_status = 'suspended' where id = $1`, [
      orgId,
    ]);
    const own = await plans.effectivePlan(bob);
    expect(own.plan.plan_key).toBe('free');
    expect(own.subject).toEqual({ kind: 'user', id: bob.userId });
  });

  it('rejects unknown features and bad amounts as validation errors', async () => {
    const member = { userId: randomUUID() };
    expect((await rejection(plans.enforceLimit(member, 'commits', 0))).code).toBe('validation_failed');
    expect((await rejection(plans.enforceLimit(member, 'commits', 1.5))).code).toBe('validation_failed');
    expect(
      (await rejection(plans.enforceLimit(member, 'tokens' as unknown as 'commits'))).details?.errors,
    ).toEqual([{ field: 'feature', message: 'must be one of commits, describes, uploads, kakao' }]);
  });
});
