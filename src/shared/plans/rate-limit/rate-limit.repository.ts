import type { SqlConnection } from '../../../kernel/db/index.js';

export interface RateLimitRow {
  planKey: string | null;
  apiKeyId: string | null;
  maxRequests: number;
  windowSeconds: number;
  updatedAt: Date;
}

export type RateLimitTarget = { planKey: string } | { apiKeyId: string };

const columns = `plan_key as "planKey", api_key_id as "apiKeyId", max_requests as "maxRequests",
  window_seconds as "windowSeconds", updated_at as "updatedAt"`;

/** Every row: a few per plan plus one per API key with its own limit; small enough to cache whole. */
export async function readRateLimits(conn: SqlConnection): Promise<RateLimitRow[]> {
  return conn.query<RateLimitRow>(
    `select ${columns} from plans.rate_limit_configs order by plan_key nulls last, api_key_id`,
  );
}

export async function saveRateLimit(
  conn: SqlConnection,
  target: RateLimitTarget,
  maxRequests: number,
  windowSeconds: number,
): Promise<RateLimitRow> {
  const byPlan = 'planKey' in target;
  const [row] = await conn.query<RateLimitRow>(
    `insert into plans.rate_limit_configs (plan_key, api_key_id, max_requests, window_seconds)
     values ($1, $2, $3, $4)
     on conflict (${byPlan ? 'plan_key' : 'api_key_id'})
     do update set max_requests = excluded.max_requests, window_seconds = excluded.window_seconds, updated_at = now()
     returning ${columns}`,
    [byPlan ? target.planKey : null, byPlan ? null : target.apiKeyId, maxRequests, windowSeconds],
  );
  if (!row) throw new Error('saving a rate limit returned no row');
  return row;
}

/** Removes an API key's own limit (it falls back to its owner's plan); plans keep theirs. */
export async function deleteApiKeyRateLimit(conn: SqlConnection, apiKeyId: string): Promise<boolean> {
  const rows = await conn.query('delete from plans.rate_limit_configs where api_key_id = $1 returning 1', [
    apiKeyId,
  ]);
  return rows.length > 0;
}
