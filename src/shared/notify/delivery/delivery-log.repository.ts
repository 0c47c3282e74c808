import type { SqlConnection } from '../../../kernel/db/index.js';
import type { ChannelKind } from '../channels/channel.types.js';
import type { LogLine } from './delivery.repository.js';
import type { LogOutcome } from './delivery.types.js';

/** Read views over the delivery log and counters, for the admin console. */

/** A delivery log line as stored, with its id (the paging cursor). */
export interface LogRow extends LogLine {
  id: number;
}

export interface LogFilter {
  userId?: string;
  orgId?: string;
  channel?: ChannelKind;
  outcome?: LogOutcome;
  notificationId?: string;
  deliveryId?: string;
  /** Rows with a smaller id than this (the previous page's last). */
  before?: number;
  limit: number;
}

export async function readLogs(conn: SqlConnection, f: LogFilter): Promise<LogRow[]> {
  return conn.query<LogRow>(
    `select id, delivery_id as "deliveryId", notification_id as "notificationId", org_id as "orgId",
            user_id as "userId", recipient, channel, template, attempt, sent_at as "sentAt", success, outcome,
            failure_reason as "failureReason", http_status as "httpStatus", duration_ms as "durationMs",
            trace_uuid as "traceUuid"
       from notify.notification_delivery_logs
      where ($1::uuid is null or user_id = $1) and ($2::uuid is null or org_id = $2)
        and ($3::text is null or channel = $3) and ($4::text is null or outcome = $4)
        and ($5::uuid is null or notification_id = $5) and ($6::uuid is null or delivery_id = $6)
        and ($7::bigint is null or id < $7)
      order by id desc limit $8`,
    [
      f.userId ?? null,
      f.orgId ?? null,
      f.channel ?? null,
      f.outcome ?? null,
      f.notificationId ?? null,
      f.deliveryId ?? null,
      f.before ?? null,
      f.limit,
    ],
  );
}

export interface StatRow {
  userId: string;
  channel: ChannelKind;
  day: string;
  delivered: number;
  failed: number;
  skipped: number;
}

export async function readStats(
  conn: SqlConnection,
  f: { userId?: string; from: string; to: string },
): Promise<StatRow[]> {
  return conn.query<StatRow>(
    `select user_id as "userId", channel, to_char(day, 'YYYY-MM-DD') as day, delivered, failed, skipped
       from notify.stats
      where ($1::uuid is null or user_id = $1) and day between $2::date and $3::date
      order by day desc, user_id, channel limit 5000`,
    [f.userId ?? null, f.from, f.to],
  );
}

/** Deliveries per state and channel: what the console's queue panel shows. */
export async function queueSummary(
  conn: SqlConnection,
): Promise<Array<{ channel: ChannelKind; state: string; count: number; oldestDue: Date | null }>> {
  return conn.query(
    `select channel, state, count(*)::int as count,
            min(next_attempt_at) filter (where state = 'pending') as "oldestDue"
       from notify.deliveries
      where state in ('pending', 'sending') or updated_at > now() - interval '24 hours'
      group by channel, state order by channel, state`,
  );
}
