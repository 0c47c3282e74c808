import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { KeelError } from '../../../kernel/errors/index.js';
import type { RateLimitRules, ResolvedRule } from './rate-limit.rules.js';

/**
 * Probes and the API reference are never limited: load balancers and monitors poll them. Nor is
 * the web app's static files (`/`, `/app/…`): one cold page load fetches some twenty of them, and
 * a 429 on a code chunk breaks the page; they cost a file read, not an API call.
 */
export function isExempt(url: string): boolean {
  return (
    url === '/' ||
    url === '/app' ||
    url.startsWith('/app/') ||
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
/** How long a caller's resolved rule is reused (plan changes apply within this, or at once here). */
const recentMs = 5_000;
const recentMax = 10_000;

export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  // Before the plugin's own onRoute hook: a route marked `rateLimit: false` gets no hook at all.
  app.addHook('onRoute', (route) => {
    if (isExempt(route.url)) route.config = { ...route.config, rateLimit: false };
  });
  // max and timeWindow are asked separately; resolve the caller's rule once per request, and
  // keep it for a few seconds per caller so that most requests resolve it without a promise.
  const pending = new WeakMap<FastifyRequest, Promise<ResolvedRule>>();
  const resolved = new WeakMap<FastifyRequest, ResolvedRule>();
  const recent = new Map<string, { rule: ResolvedRule; until: number }>();
  const ruleOf = (request: FastifyRequest): ResolvedRule | Promise<ResolvedRule> => {
    const known = resolved.get(request);
    if (known) return known;
    const key = rateLimitKey(request);
    const hit = recent.get(key);
    if (hit && hit.until > Date.now()) {
      resolved.set(request, hit.rule);
      return hit.rule;
    }
    let rule = pending.get(request);
    if (!rule) {
      rule = options.rules.ruleFor(request.principal).then((value) => {
        if (recent.size >= recentMax) recent.clear();
        recent.set(key, { rule: value, until: Date.now() + recentMs });
        resolved.set(request, value);
        return value;
      });
      pending.set(request, rule);
    }
    return rule;
  };
  const fieldOf = <T>(request: FastifyRequest, pick: (rule: ResolvedRule) => T): T | Promise<T> => {
    const rule = ruleOf(request);
    return rule instanceof Promise ? rule.then(pick) : pick(rule);
  };
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    keyGenerator: rateLimitKey,
    // The plugin awaits these; a plain number (the common case) costs no promise of ours.
    max: ((request: FastifyRequest) => fieldOf(request, (rule) => rule.maxRequests)) as (
      request: FastifyRequest,
    ) => number,
    timeWindow: ((request: FastifyRequest) => fieldOf(request, (rule) => rule.windowSeconds * 1000)) as (
      request: FastifyRequest,
    ) => number,
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
