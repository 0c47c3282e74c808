import type { Database } from '../../../kernel/db/index.js';
import type { Principal } from '../../../kernel/http/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { Subscriptions } from '../subscriptions/subscriptions.service.js';
import { type RateLimitRow, readRateLimits } from './rate-limit.repository.js';
import { TtlCache } from './ttl-cache.js';

export interface RateLimitRule {
  maxRequests: number;
  windowSeconds: number;
}

/** What applies to one caller, and why. */
export interface ResolvedRule extends RateLimitRule {
  source: 'api_key' | 'plan' | 'default';
}

/**
 * Requests a caller may make per window: its API key's own limit, else its effective plan's, else
 * the default (anonymous callers, and plans without a row). Lookups are cached for `ttlMs`, so a
 * request costs no query; a changed limit applies within that time on every process.
 */
export interface RateLimitRules {
  ruleFor(principal: Principal | null): Promise<ResolvedRule>;
  /** Forgets cached plans of this user (after a plan change here; other processes wait for the TTL). */
  forgetUser(userId: string): void;
  /** Reloads the limits table on next use. */
  forgetLimits(): void;
}

export interface RateLimitRulesDeps {
  db: Database;
  log: Log;
  subscriptions: Pick<Subscriptions, 'effectivePlan'>;
  /** The default rule (anonymous callers); default 300 requests per 60 s per IP. */
  anonymous?: RateLimitRule;
  ttlMs?: number;
}

export const defaultAnonymousRule: RateLimitRule = { maxRequests: 300, windowSeconds: 60 };

interface LimitsTable {
  byPlan: Map<string, RateLimitRow>;
  byApiKey: Map<string, RateLimitRow>;
  expiresAt: number;
}

export function createRateLimitRules(deps: RateLimitRulesDeps): RateLimitRules {
  const { db, log, subscriptions, anonymous = defaultAnonymousRule, ttlMs = 30_000 } = deps;
  const plans = new TtlCache<Promise<string>>(ttlMs);
  let table: LimitsTable | undefined;
  let loading: Promise<LimitsTable | undefined> | undefined;

  async function loadTable(): Promise<LimitsTable | undefined> {
    try {
      const rows = await readRateLimits(db);
      table = {
        byPlan: new Map(rows.filter((r) => r.planKey !== null).map((r) => [r.planKey as string, r])),
        byApiKey: new Map(rows.filter((r) => r.apiKeyId !== null).map((r) => [r.apiKeyId as string, r])),
        expiresAt: Date.now() + ttlMs,
      };
    } catch (error) {
      // A database hiccup must not fail requests over their rate limit: keep the last table.
      log.warn({ err: error }, 'rate limits could not be read; using the last known ones');
      if (table) table.expiresAt = Date.now() + Math.min(ttlMs, 5_000);
    }
    return table;
  }

  function limits(): Promise<LimitsTable | undefined> | LimitsTable | undefined {
    if (table && table.expiresAt > Date.now()) return table;
    loading ??= loadTable().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  function planOf(principal: Principal): Promise<string> {
    const key = `${principal.userId}|${principal.orgId ?? ''}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = subscriptions.effectivePlan(principal).then((p) => p.plan.plan_key);
      plan.catch(() => plans.delete(key));
      plans.set(key, plan);
    }
    return plan;
  }

  const fallback: ResolvedRule = { ...anonymous, source: 'default' };
  const fromRow = (row: RateLimitRow, source: ResolvedRule['source']): ResolvedRule => ({
    maxRequests: row.maxRequests,
    windowSeconds: row.windowSeconds,
    source,
  });

  return {
    async ruleFor(principal) {
      if (!principal) return fallback;
      const current = await limits();
      if (!current) return fallback;
      const own = principal.apiKeyId ? current.byApiKey.get(principal.apiKeyId) : undefined;
      if (own) return fromRow(own, 'api_key');
      let planKey: string;
      try {
        planKey = await planOf(principal);
      } catch (error) {
        log.warn({ err: error }, 'effective plan could not be read for the rate limit; using the default');
        return fallback;
      }
      const row = current.byPlan.get(planKey);
      return row ? fromRow(row, 'plan') : fallback;
    },
    forgetUser(userId) {
      plans.deleteWhere((key) => key.startsWith(`${userId}|`));
    },
    forgetLimits() {
      table = undefined;
    },
  };
}
