import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { KeelError } from '../../../kernel/errors/index.js';
import type { RateLimitRules, ResolvedRule } from './rate-limit.rules.js';

/** Probes and the API reference are never limited: load balancers and monitors poll them. */
export function isExempt(url: string): boolean {
  return (
    url === '/health' ||
    url === '/ready' ||
    url === '/metrics' ||
    url === '/openapi.json' ||
    url === '/docs' ||
    url.startsWith('/docs/')
  );
}

/** The counter a request counts against: its API key, else its user, else its IP address. */
export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.apiKeyId) return `key:${principal.apiKeyId}`;
  if (principal) return `user:${principal.userId}`;
  return `ip:${request.ip}`;
}

export interface RateLimitOptions {
  rules: RateLimitRules;
  /** Shared counters across processes; in-memory (per process) without it. */
  redis?: Redis;
  /** Prefix of the Redis keys. */
  nameSpace?: string;
}

/**
 * @fastify/rate-limit on every route registered after this (module routes), as a preHandler, so
 * it runs after the access check has set `request.principal`. Over the limit: 429 problem+json
 * `rate_limited` with Retry-After.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  // Before the plugin's own onRoute hook: a route marked `rateLimit: false` gets no hook at all.
  app.addHook('onRoute', (route) => {
    if (isExempt(route.url)) route.config = { ...route.config, rateLimit: false };
  });
  // max and timeWindow are asked separately; resolve the caller's rule once per request.
  const pending = new WeakMap<FastifyRequest, Promise<ResolvedRule>>();
  const resolved = new WeakMap<FastifyRequest, ResolvedRule>();
  const ruleOf = async (request: FastifyRequest) => {
    let rule = pending.get(request);
    if (!rule) {
      rule = options.rules.ruleFor(request.principal);
      pending.set(request, rule);
    }
    const value = await rule;
    resolved.set(request, value);
    return value;
  };
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    keyGenerator: rateLimitKey,
    max: async (request) => (await ruleOf(request)).maxRequests,
    timeWindow: async (request) => (await ruleOf(request)).windowSeconds * 1000,
    ...(options.redis ? { redis: options.redis, nameSpace: options.nameSpace ?? 'keel:rate-limit:' } : {}),
    // A Redis outage lets requests through rather than failing them all.
    skipOnError: true,
    errorResponseBuilder: (request, context) => {
      const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
      const rule = resolved.get(request);
      const per = rule ? `${rule.windowSeconds} s` : 'window';
      return new KeelError(
        'rate_limited',
        `Too many requests: at most ${context.max} per ${per}; retry in ${context.after}.`,
        {
          details: {
            limit: context.max,
            window_seconds: rule?.windowSeconds ?? null,
            retry_after_seconds: retryAfter,
            limited_by: rateLimitKey(request).split(':')[0],
            rule: rule?.source ?? null,
          },
        },
      );
    },
  });
}
