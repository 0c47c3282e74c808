import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../test/support/app.js';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import type { Database } from '../../../kernel/db/index.js';
import type { KeelApp } from '../../../kernel/http/index.js';
import { createPlansModule, type PlansModuleOptions } from '../plans.module.js';
import { as, testAuthorize } from '../plans.test-app.js';
import { TtlCache } from './ttl-cache.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();

const user = ['plans.read', 'credits.read'];
const admin = [...user, 'plans.manage'];

/** The database with a count of the queries made through it. */
function counting(db: Database): { db: Database; queries: () => number } {
  let n = 0;
  return {
    db: {
      ...db,
      query: (text, params) => {
        n++;
        return db.query(text, params);
      },
    },
    queries: () => n,
  };
}

describe('ttl cache', () => {
  it('expires entries and keeps at most maxEntries', () => {
    let now = 0;
    const cache = new TtlCache<number>(100, 2, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    now = 100;
    expect(cache.get('b')).toBeUndefined();
  });
});

describe.each(testDatabases)('request rate limits on $kind', (target) => {
  let t: OpenedTestDatabase;
  const apps: KeelApp[] = [];
  beforeAll(async () => {
    t = await target.open();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(async () => {
    await t.drop();
  });
  const start = async (
    options: PlansModuleOptions,
    env: Record<string, string> = {},
    db: Database = t.db,
  ) => {
    const app = await buildTestApp({
      db,
      modules: [createPlansModule({ catalogWatch: 'off', ...options })],
      authorize: testAuthorize,
      env,
    });
    apps.push(app);
    return app;
  };

  it('limits anonymous callers by IP with a 429 problem+json and Retry-After; probes are exempt', async () => {
    const app = await start({ rateLimit: { anonymous: { maxRequests: 3, windowSeconds: 60 } } });
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/plans' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
    }
    const limited = await app.inject({ method: 'GET', url: '/plans' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({
      code: 'rate_limited',
      status: 429,
      limit: 3,
      window_seconds: 60,
      limited_by: 'ip',
      rule: 'default',
    });
    // Another address has its own counter.
    const elsewhere = await app.inject({ method: 'GET', url: '/plans', remoteAddress: '10.0.0.9' });
    expect(elsewhere.statusCode).toBe(200);
    for (const url of ['/health', '/ready', '/metrics', '/openapi.json']) {
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).not.toBe(429);
        expect(res.headers['x-ratelimit-limit'], url).toBeUndefined();
      }
    }
  });

  it('checks access first, then limits signed-in users by user id with their plan limit', async () => {
    const app = await start({ rateLimit: { anonymous: { maxRequests: 2, windowSeconds: 60 } } });
    await app.inject({ method: 'GET', url: '/plans' });
    await app.inject({ method: 'GET', url: '/plans' });
    // This IP is out of anonymous requests, but the access check answers first.
    const anonymous = await app.inject({ method: 'GET', url: '/plans/me' });
    expect(anonymous.statusCode).toBe(401);

    const adminId = randomUUID();
    const set = await app.inject({
      method: 'PUT',
      url: '/plans/rate-limits',
      headers: as(adminId, admin),
      payload: { plan_key: 'basic', max_requests: 4, window_seconds: 30 },
    });
    expect(set.statusCode).toBe(200);
    const userId = randomUUID();
    await app.inject({
      method: 'PUT',
      url: `/plans/users/${userId}`,
      headers: as(adminId, admin),
      payload: { plan_key: 'basic' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await app.inject({ method: 'GET', url: '/plans/me', headers: as(userId, user) })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const limited = await app.inject({ method: 'GET', url: '/plans/me', headers: as(userId, user) });
    expect(limited.json()).toMatchObject({ limit: 4, window_seconds: 30, limited_by: 'user', rule: 'plan' });
    // A free user is limited by the free plan's row (120 per minute, seeded).
    const free = await app.inject({ method: 'GET', url: '/plans/me', headers: as(randomUUID(), user) });
    expect(free.headers['x-ratelimit-limit']).toBe('120');
  });

  it("limits an API key by its own row when it has one, else by its owner's plan", async () => {
    const app = await start({});
    const owner = randomUUID();
    const key = randomUUID();
    const other = randomUUID();
    const set = await app.inject({
      method: 'PUT',
      url: '/plans/rate-limits',
      headers: as(randomUUID(), admin),
      payload: { api_key_id: key, max_requests: 2, window_seconds: 60 },
    });
    expect(set.json().rate_limit).toMatchObject({ api_key_id: key, plan_key: null, max_requests: 2 });
    const viaKey = (apiKeyId: string) =>
      app.inject({ method: 'GET', url: '/plans/me', headers: as(owner, user, { apiKeyId }) });
    expect([
      (await viaKey(key)).statusCode,
      (await viaKey(key)).statusCode,
      (await viaKey(key)).statusCode,
    ]).toEqual([200, 200, 429]);
    const otherKey = await viaKey(other);
    expect(otherKey.statusCode).toBe(200);
    expect(otherKey.headers['x-ratelimit-limit']).toBe('120');
    const listed = await app.inject({
      method: 'GET',
      url: '/plans/rate-limits',
      headers: as(randomUUID(), admin),
    });
    expect(listed.json().rate_limits).toHaveLength(5);
    expect(listed.json().default).toEqual({ max_requests: 300, window_seconds: 60 });
    await t.db.query('delete from plans.rate_limit_configs where api_key_id = $1', [key]);
  });

  it('serves limits from a cache: no query per request', async () => {
    const { db, queries } = counting(t.db);
    const app = await start({}, {}, db);
    const headers = as(randomUUID(), user);
    await app.inject({ method: 'GET', url: '/plans', headers: { ...headers } });
    // GET /plans reads only the in-memory catalog; a signed-in caller's rule needs its plan once.
    await app.inject({ method: 'GET', url: '/plans/credits', headers });
    const before = queries();
    for (let i = 0; i < 20; i++) {
      expect((await app.inject({ method: 'GET', url: '/plans', headers })).statusCode).toBe(200);
    }
    expect(queries() - before).toBe(0);
  });

  it('keeps separate counters per process without Redis', async () => {
    const options = { rateLimit: { anonymous: { maxRequests: 2, windowSeconds: 60 } } };
    const [a, b] = [await start(options), await start(options)];
    const codes = [];
    for (const app of [a, a, b, b])
      codes.push((await app.inject({ method: 'GET', url: '/plans' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200]);
  });

  it.runIf(redisUp)('shares counters across processes through Redis', async () => {
    const nameSpace = `keel-test:${randomBytes(6).toString('hex')}:`;
    const options = { rateLimit: { anonymous: { maxRequests: 4, windowSeconds: 60 }, nameSpace } };
    const env = { REDIS_URL: redisUrl };
    const [a, b] = [await start(options, env), await start(options, env)];
    const codes = [];
    for (const app of [a, b, a, b, a, b])
      codes.push((await app.inject({ method: 'GET', url: '/plans' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    const limited = await b.inject({ method: 'GET', url: '/plans' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50);
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${nameSpace}*`);
      expect(keys).toEqual([`${nameSpace}ip:127.0.0.1`]);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });
});
