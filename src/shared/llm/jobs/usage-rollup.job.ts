import type { Database } from '../../../kernel/db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import type { Log } from '../../../kernel/log/index.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Every 10 minutes: roll `llm.requests` up into `llm.daily_usage` and send cost alerts. */
    'llm.usage.rollup': { days?: number };
  }
}

/** A budget whose monthly spending passed its alert threshold. */
export interface CostAlert {
  kind: 'org' | 'user';
  id: string;
  spent: number;
  threshold: number;
  limit: number;
  /** `YYYY-MM`: one alert per budget and month. */
  month: string;
}

/**
 * Recomputes the daily rows of the last `days` days from the request log (so running it twice,
 * or on two nodes, gives the same rows), then raises one cost alert per budget and month once
 * its spending passes the alert threshold: logged, and passed to `send` (notify). A budget is
 * marked alerted only after `send` succeeded; `send` must be idempotent per budget and month
 * (two nodes, or a retry after a failure, may raise the same alert again).
 */
export async function rollUpUsage(
  db: Database,
  log: Log,
  days = 2,
  send: (alert: CostAlert) => Promise<void> = async () => undefined,
): Promise<{ rows: number; alerts: number }> {
  const rows = await db.query(
    `insert into llm.daily_usage (usage_date, provider, model, total_requests, failed_requests, cache_hits,
       prompt_tokens, completion_tokens, total_tokens, estimated_cost_usd, updated_at)
     select (created_at at time zone 'UTC')::date, provider, model,
            count(distinct request_id) filter (where status = 'ok'), count(*) filter (where status = 'error'),
            count(*) filter (where cache_hit), sum(prompt_tokens), sum(completion_tokens),
            sum(prompt_tokens + completion_tokens), sum(cost_usd), now()
     from llm.requests
     where created_at >= (now() at time zone 'UTC')::date - make_interval(days => $1 - 1)
     group by 1, 2, 3
     on conflict (usage_date, provider, model) do update set
       total_requests = excluded.total_requests, failed_requests = excluded.failed_requests,
       cache_hits = excluded.cache_hits, prompt_tokens = excluded.prompt_tokens,
       completion_tokens = excluded.completion_tokens, total_tokens = excluded.total_tokens,
       estimated_cost_usd = excluded.estimated_cost_usd, updated_at = now()
     returning usage_date`,
    [days],
  );
  const alerts = await db.query<CostAlert>(
    `select subject_kind as kind, subject_id as id, spent_usd::float8 as spent,
            alert_threshold_usd::float8 as threshold, monthly_limit_usd::float8 as limit,
            to_char(month, 'YYYY-MM') as month
       from llm.budgets
      where alert_threshold_usd is not null and spent_usd >= alert_threshold_usd
        and month = date_trunc('month', now())::date and alerted_month is distinct from month`,
  );
  for (const alert of alerts) {
    await send(alert);
    await db.query(
      `update llm.budgets set alerted_month = month where subject_kind = $1 and subject_id = $2`,
      [alert.kind, alert.id],
    );
    log.warn(
      {
        subject: alert.kind,
        subjectId: alert.id,
        spentUsd: alert.spent,
        thresholdUsd: alert.threshold,
        limitUsd: alert.limit,
      },
      'LLM cost alert: monthly spending passed the alert threshold',
    );
  }
  return { rows: rows.length, alerts: alerts.length };
}

export function usageRollupJob(
  db: Database,
  log: Log,
  send?: (alert: CostAlert) => Promise<void>,
): JobDefinition<'llm.usage.rollup'> {
  return {
    name: 'llm.usage.rollup',
    retryLimit: 2,
    handler: async function rollUp(payload) {
      return { status: 'done', ...(await rollUpUsage(db, log, payload.days, send)) };
    },
  };
}

export const usageRollupSchedule: ScheduleDefinition<'llm.usage.rollup'> = {
  name: 'llm.usage.rollup.every-10-min',
  cron: '*/10 * * * *',
  job: 'llm.usage.rollup',
  payload: {},
};
