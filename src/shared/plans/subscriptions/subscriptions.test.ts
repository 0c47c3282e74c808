import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { memoryLog } from '../../../../test/support/jobs.js';
import type { JobContext } from '../../../kernel/jobs/index.js';
import { type CatalogStore, createCatalogStore } from '../catalog/catalog.store.js';
import { createPlansService, type PlansService } from '../plans.service.js';
import { expireTrialsJob } from './expire-trials.job.js';

describe.each(testDatabases)('user plans and trials on $kind', (target) => {
  let t: OpenedTestDatabase;
  let store: CatalogStore;
  let plans: PlansService;
  let clock = new Date('2026-05-01T12:00:00Z');
  const now = () => clock;
  beforeAll(async () => {
    t = await target.open();
    const { log } = memoryLog('warn');
    store = createCatalogStore({ db: t.db, log, path: '/nonexistent/plan_catalog.yml', watch: 'off' });
    await store.start();
    plans = createPlansService({ db: t.db, log, catalog: () => store.current(), now });
  });
  afterAll(async () => {
    await store.close();
    await t.drop();
  });

  it("puts users without a row on 'free'", async () => {
    const userId = randomUUID();
    const effective = await plans.effectivePlan({ userId });
    expect(effective.plan.plan_key).toBe('free');
    expect(effective.subject).toEqual({ kind: 'user', id: userId });
    expect(await plans.userPlan(userId)).toMatchObject({ planKey: 'free', startedAt: null });
    expect(await plans.planHistory(userId)).toEqual([]);
  });

  it('logs every plan change through the trigger, with labels, prices and whether it was a trial', async () => {
    const userId = randomUUID();
    await plans.setUserPlan(userId, 'basic');
    await plans.setUserPlan(userId, 'basic'); // same plan: nothing to log
    await plans.setUserPlan(userId, 'premium');
    const history = await plans.planHistory(userId);
    expect(
      history.map((h) => [
        h.oldPlanKey,
        h.newPlanKey,
        h.oldPlanLabel,
        h.newPlanLabel,
        h.oldPriceUsd,
        h.newPriceUsd,
      ]),
    ).toEqual([
      ['basic', 'premium', 'Basic', 'Premium', 9, 29],
      ['free', 'basic', 'Free', 'Basic', 0, 9],
    ]);
    expect(history.every((h) => !h.wasTrial)).toBe(true);
  });

  it("starts a trial for the plan's trial_days and ends it back on 'free', logged as a trial", async () => {
    const userId = randomUUID();
    const view = await plans.setUserPlan(userId, 'basic', { trial: true });
    expect(view).toMatchObject({ planKey: 'basic', isTrialActive: true });
    expect(view.trialEndsAt?.toISOString()).toBe('2026-05-15T12:00:00.000Z');
    expect((await plans.effectivePlan({ userId })).trial).toEqual({ active: true, endsAt: view.trialEndsAt });

    // A trial past its end counts as over at once, before the daily job moves the row.
    clock = new Date('2026-05-15T12:00:01Z');
    expect((await plans.effectivePlan({ userId })).plan.plan_key).toBe('free');

    const job = expireTrialsJob(t.db, now);
    const context = {} as JobContext;
    expect(await job.handler({}, context)).toMatchObject({ status: 'done', ended: expect.any(Number) });
    expect(await plans.userPlan(userId)).toMatchObject({ planKey: 'free', isTrialActive: false });
    const [last] = await plans.planHistory(userId);
    expect(last).toMatchObject({ oldPlanKey: 'basic', newPlanKey: 'free', wasTrial: true });
    // Idempotent: nothing left to end.
    expect(await job.handler({}, context)).toEqual({ status: 'done', ended: 0 });
    clock = new Date('2026-05-01T12:00:00Z');
  });

  it('refuses unknown plans and trials of plans without one, naming the field', async () => {
    const userId = randomUUID();
    await expect(plans.setUserPlan(userId, 'platinum')).rejects.toMatchObject({
      code: 'validation_failed',
      details: { errors: [{ field: 'plan_key', message: '"platinum" is not a plan of the catalog' }] },
    });
    await expect(plans.setUserPlan(userId, 'free', { trial: true })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { errors: [{ field: 'trial', message: 'the Free plan has no trial' }] },
    });
    expect(await plans.userPlan(userId)).toMatchObject({ startedAt: null });
  });

  it('applies an org plan only while the org is active with a trial or active contract', async () => {
    const orgId = randomUUID();
    const userId = randomUUID();
    await plans.setUserPlan(userId, 'basic');
    await t.db.query(
      `insert into identity.organizations (id, name, contract_status, plan_key, active) values ($1, 'Org', 'trial', 'org', true)`,
      [orgId],
    );
    const onOrg = await plans.effectivePlan({ userId, orgId });
    expect(onOrg.plan.plan_key).toBe('org');
    expect(onOrg.subject).toEqual({ kind: 'org', id: orgId });

    await t.db.query('update identity.organizations set active = false where id = $1', [orgId]);
    expect((await plans.effectivePlan({ userId, orgId })).plan.plan_key).toBe('basic');
    await t.db.query(
      `update identity.organizations set active = true, contract_status = 'ended' where id = $1`,
      [orgId],
    );
    expect((await plans.effectivePlan({ userId, orgId })).plan.plan_key).toBe('basic');
    // Without the org in the request, the user's own plan applies.
    await t.db.query(`update identity.organizations set contract_status = 'active' where id = $1`, [orgId]);
    expect((await plans.effectivePlan({ userId, orgId: null })).plan.plan_key).toBe('basic');
    expect((await plans.effectivePlan({ userId, orgId: randomUUID() })).plan.plan_key).toBe('basic');
  });
});
