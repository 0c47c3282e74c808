import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp } from '../../../test/support/app.js';
import { type OpenedTestDatabase, testDatabases } from '../../../test/support/db.js';
import type { KeelApp } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { createPlansModule, plansActions } from './plans.module.js';
import { as, testAuthorize } from './plans.test-app.js';

const user = ['plans.read', 'credits.read', 'rewards.read', 'rewards.redeem'];
const admin = [...user, 'plans.manage', 'credits.manage'];

/** A stand-in for a product module that meters its work through the plans service. */
const meteredRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/commits',
    {
      config: { action: 'plans.read' },
      schema: {
        body: z.object({ amount: z.int().min(1).default(1) }),
        response: { 200: z.object({ used: z.int() }) },
      },
    },
    async (request) => {
      if (!request.principal) throw new Error('no principal');
      const [day] = await request.server.plans.enforceLimit(
        request.principal,
        'commits',
        request.body.amount,
      );
      return { used: day?.used ?? 0 };
    },
  );
};
const meteredModule: KeelModule = {
  name: 'metered',
  layer: 'module',
  dependsOn: ['plans'],
  routes: { prefix: '/metered', plugin: () => meteredRoutes },
};

describe.each(testDatabases)('plans routes on $kind', (target) => {
  let t: OpenedTestDatabase;
  let app: KeelApp;
  const adminId = randomUUID();
  beforeAll(async () => {
    t = await target.open();
    app = await buildTestApp({
      db: t.db,
      modules: [createPlansModule({ catalogWatch: 'off' }), meteredModule],
      authorize: testAuthorize,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status, code });
    return res.json() as Record<string, unknown> & { errors?: Array<{ field: string; message: string }> };
  };

  it('serves the catalog publicly, in plan order', async () => {
    const res = await app.inject({ method: 'GET', url: '/plans' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plans.map((p: { plan_key: string }) => p.plan_key)).toEqual([
      'free',
      'basic',
      'premium',
      'org',
    ]);
    expect(body.plans[2]).toMatchObject({
      plan_key: 'premium',
      monthly_price_usd: 29,
      max_commits_per_month: null,
    });
  });

  it('declares an action for every route, and the module declares each action with its roles', () => {
    const routes = app.routeAccess().filter((r) => r.url.startsWith('/plans'));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const declared = new Set(plansActions.map((a) => a.code));
    for (const route of routes) {
      expect(route.action, `${route.method} ${route.url}`).not.toBeNull();
      if (route.action !== 'public')
        expect(declared.has(route.action as string), String(route.action)).toBe(true);
    }
    const roles = new Set(plansActions.flatMap((a) => a.roles));
    expect([...roles].every((r) => ['user', 'admin', 'org_admin', 'enterprise'].includes(r))).toBe(true);
  });

  it('lists the routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/plans/', '/plans/me', '/plans/users/{userId}', '/plans/credits/grant']),
    );
  });

  it("answers /plans/me with the caller's plan and usage; 401 without credentials, 403 without the action", async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/plans/me' }), 401, 'unauthorized');
    expectProblem(
      await app.inject({ method: 'GET', url: '/plans/me', headers: as(randomUUID(), ['credits.read']) }),
      403,
      'forbidden',
    );
    const userId = randomUUID();
    const res = await app.inject({ method: 'GET', url: '/plans/me', headers: as(userId, user) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plan.plan_key).toBe('free');
    expect(body.subject).toEqual({ kind: 'user', id: userId });
    expect(body.trial).toEqual({ active: false, ends_at: null });
    expect(body.usage).toContainEqual(
      expect.objectContaining({ feature: 'commits', period: 'day', limit: 5, used: 0, remaining: 5 }),
    );
  });

  it('lets an admin set a plan or a trial and shows the history the trigger wrote', async () => {
    const userId = randomUUID();
    expectProblem(
      await app.inject({
        method: 'PUT',
        url: `/plans/users/${userId}`,
        headers: as(randomUUID(), user),
        payload: { plan_key: 'premium' },
      }),
      403,
      'forbidden',
    );
    const res = await app.inject({
      method: 'PUT',
      url: `/plans/users/${userId}`,
      headers: as(adminId, admin),
      payload: { plan_key: 'basic', trial: true },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plan).toMatchObject({ user_id: userId, plan_key: 'basic', is_trial_active: true });
    expect(Date.parse(body.plan.trial_ends_at) - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    expect(body.history).toEqual([
      expect.objectContaining({
        old_plan_key: 'free',
        new_plan_key: 'basic',
        new_price_usd: 9,
        was_trial: false,
      }),
    ]);
    const me = await app.inject({ method: 'GET', url: '/plans/me', headers: as(userId, user) });
    expect(me.json().plan.plan_key).toBe('basic');
    expect(me.json().trial.active).toBe(true);

    const got = await app.inject({
      method: 'GET',
      url: `/plans/users/${userId}`,
      headers: as(adminId, admin),
    });
    expect(got.json().history).toHaveLength(1);

    const noTrial = expectProblem(
      await app.inject({
        method: 'PUT',
        url: `/plans/users/${userId}`,
        headers: as(adminId, admin),
        payload: { plan_key: 'free', trial: true },
      }),
      400,
      'validation_failed',
    );
    expect(noTrial.errors).toEqual([{ field: 'body.trial', message: 'the Free plan has no trial' }]);
  });

  it('answers 429 problem+json naming the feature, the limit and when it resets', async () => {
    const headers = as(randomUUID(), user);
    const first = await app.inject({
      method: 'POST',
      url: '/metered/commits',
      headers,
      payload: { amount: 5 },
    });
    expect(first.json()).toEqual({ used: 5 });
    const over = expectProblem(
      await app.inject({ method: 'POST', url: '/metered/commits', headers, payload: {} }),
      429,
      'rate_limited',
    );
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(over).toMatchObject({
      feature: 'commits',
      limit: 5,
      period: 'day',
      used: 5,
      resets_at: tomorrow.toISOString(),
      plan_key: 'free',
    });
    expect(over.detail).toContain('5 commits per day');
  });

  it('grants credits (admin) and shows balances to their owner only', async () => {
    const owner = randomUUID();
    const grant = await app.inject({
      method: 'POST',
      url: '/plans/credits/grant',
      headers: as(adminId, admin),
      payload: { owner_id: owner, amount: 120, reason: 'admin:grant', reference: 'ticket:7' },
    });
    expect(grant.statusCode).toBe(201);
    expect(grant.json()).toMatchObject({
      owner_id: owner,
      balance: 120,
      entry: { delta: 120, reference: 'ticket:7' },
    });

    const mine = await app.inject({ method: 'GET', url: '/plans/credits', headers: as(owner, user) });
    expect(mine.json()).toMatchObject({
      owner_id: owner,
      balance: 120,
      entries: [{ delta: 120, balance_after: 120 }],
    });
    expectProblem(
      await app.inject({
        method: 'GET',
        url: `/plans/credits?owner_id=${owner}`,
        headers: as(randomUUID(), user),
      }),
      403,
      'forbidden',
    );
    const byAdmin = await app.inject({
      method: 'GET',
      url: `/plans/credits?owner_id=${owner}`,
      headers: as(adminId, admin),
    });
    expect(byAdmin.json().balance).toBe(120);
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/plans/credits/grant',
        headers: as(owner, user),
        payload: { owner_id: owner, amount: 1, reason: 'x' },
      }),
      403,
      'forbidden',
    );
  });

  it('hands out a referral code and pays both sides once on redemption', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const codeRes = await app.inject({
      method: 'GET',
      url: '/plans/referrals/code',
      headers: as(alice, user),
    });
    const { code } = codeRes.json();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const redeem = (who: string, value: string) =>
      app.inject({
        method: 'POST',
        url: '/plans/referrals/redeem',
        headers: as(who, user),
        payload: { code: value },
      });
    const res = await redeem(bob, code.toLowerCase());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code, reward: 50, referrer_reward: 100, balance: 50 });
    expectProblem(await redeem(bob, code), 409, 'conflict');
    const own = expectProblem(await redeem(alice, code), 400, 'bad_request');
    expect(own.errors).toEqual([{ field: 'body.code', message: 'is your own code' }]);
    expectProblem(await redeem(randomUUID(), 'ZZZZZZZZ'), 404, 'not_found');
  });

  describe('bad input', () => {
    const huge = 'x'.repeat(1_000_000);
    const injection = "'; drop table plans.plan_catalog; --";

    it.each([
      ['PUT', `/plans/users/${randomUUID()}`, { plan_key: huge }, 'body.plan_key'],
      ['PUT', `/plans/users/${randomUUID()}`, { plan_key: injection }, 'body.plan_key'],
      ['PUT', `/plans/users/${randomUUID()}`, { plan_key: 'basic', trial: 'yes' }, 'body.trial'],
      ['PUT', '/plans/users/not-a-uuid', { plan_key: 'basic' }, 'params.userId'],
      ['PUT', `/plans/users/${randomUUID()}`, { plan_key: 'platinum' }, 'body.plan_key'],
      ['POST', '/plans/credits/grant', { owner_id: injection, amount: 5, reason: 'x' }, 'body.owner_id'],
      [
        'POST',
        '/plans/credits/grant',
        { owner_id: randomUUID(), amount: 5, reason: injection },
        'body.reason',
      ],
      ['POST', '/plans/credits/grant', { owner_id: randomUUID(), amount: 5, reason: huge }, 'body.reason'],
      [
        'POST',
        '/plans/credits/grant',
        { owner_id: randomUUID(), amount: 5, reason: 'x', reference: huge },
        'body.reference',
      ],
      [
        'POST',
        '/plans/credits/grant',
        { owner_id: randomUUID(), amount: 5, reason: 'x', reference: injection },
        'body.reference',
      ],
      ['POST', '/plans/credits/grant', { owner_id: randomUUID(), amount: -5, reason: 'x' }, 'body.amount'],
      ['POST', '/plans/credits/grant', { owner_id: randomUUID(), amount: 1e12, reason: 'x' }, 'body.amount'],
      ['POST', '/plans/referrals/redeem', { code: huge }, 'body.code'],
      ['POST', '/plans/referrals/redeem', { code: injection }, 'body.code'],
      [
        'PUT',
        '/plans/rate-limits',
        { plan_key: injection, max_requests: 5, window_seconds: 60 },
        'body.plan_key',
      ],
      ['PUT', '/plans/rate-limits', { max_requests: 5, window_seconds: 60 }, 'body.plan_key'],
      [
        'PUT',
        '/plans/rate-limits',
        { api_key_id: randomUUID(), max_requests: 0, window_seconds: 60 },
        'body.max_requests',
      ],
    ] as const)('%s %s rejects %#, naming %s', async (method, url, payload, field) => {
      const res = await app.inject({ method, url, headers: as(adminId, admin), payload });
      const problem = expectProblem(res, 400, 'validation_failed');
      expect(problem.errors?.map((e) => e.field)).toContain(field);
      expect(JSON.stringify(problem).length).toBeLessThan(5_000);
    });

    it('stores nothing from rejected requests', async () => {
      const [plansCount] = await t.db.query<{ n: number | string }>(
        'select count(*) as n from plans.plan_catalog',
      );
      expect(Number(plansCount?.n)).toBe(4);
      const [ledger] = await t.db.query<{ n: number | string }>(
        `select count(*) as n from plans.credit_ledger where reason <> 'admin:grant' and reason <> 'referral'`,
      );
      expect(Number(ledger?.n)).toBe(0);
      const rows = await t.db.query(
        `select 1 from plans.credit_ledger where reference like '%drop%' or reason like '%drop%' or length(reason) > 64`,
      );
      expect(rows).toEqual([]);
      const limits = await t.db.query('select 1 from plans.rate_limit_configs where api_key_id is not null');
      expect(limits).toEqual([]);
    });
  });
});
