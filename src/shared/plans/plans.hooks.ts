import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Log } from '../../kernel/log/index.js';
import type { ModuleContext } from '../../kernel/module/index.js';
import { createCatalogStore } from './catalog/catalog.store.js';
import type { WatchMode } from './catalog/file-watch.js';
import { createPlansService, type PlansService } from './plans.service.js';
import { registerRateLimit } from './rate-limit/rate-limit.plugin.js';
import type { RateLimitRule } from './rate-limit/rate-limit.rules.js';
import type { ReferralRewards } from './rewards/rewards.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The plans service, for every module's routes (registered after the app hooks that set it):
     * `request.server.plans.enforceLimit(request.principal, 'commits')`.
     */
    plans: PlansService;
  }
}

export interface PlansHooksOptions {
  catalogPath: string;
  catalogWatch?: WatchMode | 'off';
  now?: () => Date;
  referralRewards?: ReferralRewards;
  rateLimit?: {
    /** Callers without credentials, and plans without a row. Default 300 per 60 s. */
    anonymous?: RateLimitRule;
    /** How long plan and limit lookups are cached; default 30 s. */
    cacheTtlMs?: number;
    /** Prefix of the Redis keys (two apps with the same prefix share their counters). */
    nameSpace?: string;
  };
}

/**
 * The plans module's app-wide part: loads and watches the catalog, builds the service (`app.plans`)
 * and limits request rates on every route. Registered unencapsulated, after the access check.
 */
export function plansAppHooks(ctx: ModuleContext, options: PlansHooksOptions): FastifyPluginAsync {
  return async function plansHooks(app) {
    const catalog = createCatalogStore({
      db: ctx.db,
      log: ctx.log,
      path: options.catalogPath,
      watch: options.catalogWatch,
    });
    await catalog.start();
    app.addHook('onClose', () => catalog.close());

    const service = createPlansService({
      db: ctx.db,
      log: ctx.log,
      catalog: () => catalog.current(),
      now: options.now,
      referralRewards: options.referralRewards,
      rateLimit: options.rateLimit,
    });
    app.decorate('plans', service);

    const redis = ctx.config.redisUrl ? await connectRedis(ctx.config.redisUrl, ctx.log) : undefined;
    if (redis) {
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect());
      });
    }
    await registerRateLimit(app, {
      rules: service.rateLimits,
      redis,
      nameSpace: options.rateLimit?.nameSpace,
    });
  };
}

/**
 * A Redis client for the shared rate-limit counters, or undefined (per-process counters) when
 * Redis does not answer at start. Later outages let requests through (`skipOnError`) and the
 * client reconnects by itself.
 */
async function connectRedis(url: string, log: Log): Promise<Redis | undefined> {
  // Loaded only when Redis is configured: most single-node installs never need the client.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail a command fast rather than holding requests while Redis is away.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
  });
  // ioredis emits 'error' on every failed reconnect; one warning per outage is enough.
  let warned = false;
  redis.on('error', (error) => {
    if (!warned) log.warn({ err: error }, 'Redis error; request rate limits are not enforced while it lasts');
    warned = true;
  });
  redis.on('ready', () => {
    warned = false;
  });
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    log.warn({ err: error }, 'Redis did not answer; request rate limits are counted per process');
    redis.disconnect();
    return undefined;
  }
}
