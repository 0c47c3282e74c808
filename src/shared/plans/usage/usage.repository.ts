import type { SqlConnection } from '../../../kernel/db/index.js';
import type { Feature, Period } from './usage.features.js';

export interface CounterKey {
  subject: string;
  subjectKind: 'user' | 'org';
  feature: Feature;
  period: Period;
  periodStart: string;
}

/**
 * Adds `amount` to a counter unless that would take it over `limit` (null: no limit). Returns the
 * new count, or null when refused. One statement: concurrent callers serialize on the counter's row
 * (an insert racing another insert becomes its update), and the limit is checked against the row
 * as it is when the lock is granted, so the count never overshoots.
 */
export async function addToCounter(
  conn: SqlConnection,
  key: CounterKey,
  amount: number,
  limit: number | null,
): Promise<number | null> {
  const [row] = await conn.query<{ used: number | string }>(
    `insert into plans.usage_counters as c (subject, subject_kind, feature, period, period_start, used)
     values ($1, $2, $3, $4, $5::date, $6)
     on conflict (subject, feature, period, period_start)
     do update set used = c.used + excluded.used, updated_at = now()
       where $7::bigint is null or c.used + excluded.used <= $7::bigint
     returning used`,
    [key.subject, key.subjectKind, key.feature, key.period, key.periodStart, amount, limit],
  );
  return row ? Number(row.used) : null;
}

/** The counts of one subject in the given periods, keyed `feature/period`. */
export async function readCounters(
  conn: SqlConnection,
  subject: string,
  periods: ReadonlyArray<{ period: Period; periodStart: string }>,
): Promise<Map<string, number>> {
  const rows = await conn.query<{ feature: string; period: string; used: number | string }>(
    `select c.feature, c.period, c.used
       from plans.usage_counters c
       join jsonb_to_recordset($2::jsonb) as p(period text, period_start date)
         on p.period = c.period and p.period_start = c.period_start
      where c.subject = $1`,
    [subject, JSON.stringify(periods.map((p) => ({ period: p.period, period_start: p.periodStart })))],
  );
  return new Map(rows.map((r) => [`${r.feature}/${r.period}`, Number(r.used)]));
}

/** Forgets day counters that started before `dayBefore` and month counters before `monthBefore`. */
export async function pruneCounters(
  conn: SqlConnection,
  dayBefore: string,
  monthBefore: string,
): Promise<number> {
  const rows = await conn.query(
    `delete from plans.usage_counters
      where (period = 'day' and period_start < $1::date) or (period = 'month' and period_start < $2::date)
      returning 1`,
    [dayBefore, monthBefore],
  );
  return rows.length;
}

export async function eraseUserCounters(
  conn: SqlConnection,
  userId: string,
): Promise<Record<string, number>> {
  const rows = await conn.query(
    `delete from plans.usage_counters where subject = $1 and subject_kind = 'user' returning 1`,
    [userId],
  );
  return { usage_counters: rows.length };
}
