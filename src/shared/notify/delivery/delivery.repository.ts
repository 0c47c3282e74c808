import type { Secrets } from '../../../kernel/crypto/index.js';
import { decryptString, encrypt } from '../../../kernel/crypto/index.js';
import type { SqlConnection } from '../../../kernel/db/index.js';
import type { ChannelKind } from '../channels/channel.types.js';
import type { Locale } from '../templates/render.js';
import type {
  AttemptRecord,
  DeliveryState,
  DeliveryWork,
  LogOutcome,
  NewDelivery,
} from './delivery.types.js';

/** The only file that reads and writes notify's queue tables (notifications, deliveries, logs, stats). */

export interface NewNotification {
  id: string;
  orgId: string | null;
  type: string;
  data: Record<string, unknown>;
  url: string | null;
  priority: string;
  dedupeKey: string | null;
  traceUuid: string | null;
  createdBy: string | null;
}

/** Inserts the notification; false when its dedupe key is already taken (nothing inserted). */
export async function insertNotification(tx: SqlConnection, n: NewNotification): Promise<boolean> {
  const rows = await tx.query(
    `insert into notify.notifications (id, org_id, type, data, url, priority, dedupe_key, trace_uuid, created_by)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
     on conflict (dedupe_key) do nothing returning id`,
    [n.id, n.orgId, n.type, JSON.stringify(n.data), n.url, n.priority, n.dedupeKey, n.traceUuid, n.createdBy],
  );
  return rows.length === 1;
}

export async function notificationIdByDedupeKey(conn: SqlConnection, key: string): Promise<string | null> {
  const [row] = await conn.query<{ id: string }>(
    'select id from notify.notifications where dedupe_key = $1',
    [key],
  );
  return row?.id ?? null;
}

export interface DeliveryView {
  id: string;
  channel: ChannelKind;
  destinationMasked: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

export async function deliveriesOf(conn: SqlConnection, notificationId: string): Promise<DeliveryView[]> {
  return conn.query<DeliveryView>(
    `select id, channel, destination_masked as "destinationMasked", state, attempts, last_error as "lastError",
            next_attempt_at as "nextAttemptAt", delivered_at as "deliveredAt"
       from notify.deliveries where notification_id = $1 order by created_at, id`,
    [notificationId],
  );
}

export async function insertDeliveries(
  tx: SqlConnection,
  secrets: Secrets,
  notification: { id: string; orgId: string | null; priority: number; maxAttempts: number },
  rows: readonly NewDelivery[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into notify.deliveries (id, notification_id, org_id, user_id, channel, destination_encrypted,
       destination_masked, locale, template_version, state, priority, max_attempts, next_attempt_at, last_error,
       push_subscription_id)
     select x.id, $1, $2, x.user_id, x.channel, x.dest, x.masked, x.locale, x.version, x.state, $3, $4, x.next_at,
            x.reason, x.push_id
       from unnest($5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[],
                   $13::timestamptz[], $14::text[], $15::uuid[])
         as x(id, user_id, channel, dest, masked, locale, version, state, next_at, reason, push_id)`,
    [
      notification.id,
      notification.orgId,
      notification.priority,
      notification.maxAttempts,
      rows.map((r) => r.id),
      rows.map((r) => r.userId),
      rows.map((r) => r.channel),
      rows.map((r) => encrypt(secrets.ring, r.destination, r.id)),
      rows.map((r) => r.destinationMasked),
      rows.map((r) => r.locale),
      rows.map((r) => r.templateVersion),
      rows.map((r) => r.state),
      rows.map((r) => r.nextAttemptAt.toISOString()),
      rows.map((r) => r.reason),
      rows.map((r) => r.pushSubscriptionId),
    ],
  );
}

export interface LogLine {
  deliveryId: string | null;
  notificationId: string;
  orgId: string | null;
  userId: string | null;
  recipient: string;
  channel: ChannelKind;
  template: string;
  attempt: number;
  sentAt: Date;
  success: boolean;
  outcome: LogOutcome;
  failureReason: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  traceUuid: string | null;
}

export async function insertLogs(tx: SqlConnection, lines: readonly LogLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `insert into notify.notification_delivery_logs (delivery_id, notification_id, org_id, user_id, recipient,
       channel, template, attempt, sent_at, success, outcome, failure_reason, http_status, duration_ms, trace_uuid)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
       $8::int[], $9::timestamptz[], $10::boolean[], $11::text[], $12::text[], $13::smallint[], $14::int[], $15::uuid[])`,
    [
      lines.map((l) => l.deliveryId),
      lines.map((l) => l.notificationId),
      lines.map((l) => l.orgId),
      lines.map((l) => l.userId),
      lines.map((l) => l.recipient),
      lines.map((l) => l.channel),
      lines.map((l) => l.template),
      lines.map((l) => l.attempt),
      lines.map((l) => l.sentAt.toISOString()),
      lines.map((l) => l.success),
      lines.map((l) => l.outcome),
      lines.map((l) => l.failureReason?.slice(0, 1000) ?? null),
      lines.map((l) => l.httpStatus),
      lines.map((l) => l.durationMs),
      lines.map((l) => l.traceUuid),
    ],
  );
}

export interface StatIncrement {
  userId: string;
  channel: ChannelKind;
  day: string;
  delivered: number;
  failed: number;
  skipped: number;
}

/** Adds to the per-user, per-channel, per-day counters; rows in a fixed order so writers never deadlock. */
export async function bumpStats(tx: SqlConnection, increments: readonly StatIncrement[]): Promise<void> {
  const merged = new Map<string, StatIncrement>();
  for (const inc of increments) {
    const key = `${inc.userId}/${inc.channel}/${inc.day}`;
    const seen = merged.get(key);
    if (seen) {
      seen.delivered += inc.delivered;
      seen.failed += inc.failed;
      seen.skipped += inc.skipped;
    } else merged.set(key, { ...inc });
  }
  const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  if (rows.length === 0) return;
  await tx.query(
    `insert into notify.stats (user_id, channel, day, delivered, failed, skipped)
     select * from unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::int[], $6::int[])
     on conflict (user_id, channel, day) do update set
       delivered = notify.stats.delivered + excluded.delivered,
       failed = notify.stats.failed + excluded.failed,
       skipped = notify.stats.skipped + excluded.skipped`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.channel),
      rows.map((r) => r.day),
      rows.map((r) => r.delivered),
      rows.map((r) => r.failed),
      rows.map((r) => r.skipped),
    ],
  );
}

interface WorkRow extends Omit<DeliveryWork, 'destination'> {
  destinationEncrypted: string;
}

/**
 * Leases up to `limit` due deliveries, highest priority and oldest first. `FOR UPDATE SKIP
 * LOCKED` lets several workers claim at once without taking the same row; the attempt is
 * counted here, so a delivery that kills its worker every time still runs out of attempts.
 */
export async function claimDue(
  conn: SqlConnection,
  secrets: Secrets,
  options: { limit: number; leaseMs: number; leaseToken: string },
): Promise<DeliveryWork[]> {
  const rows = await conn.query<WorkRow>(
    `with due as (
       select id from notify.deliveries
        where state = 'pending' and next_attempt_at <= now()
        order by priority desc, next_attempt_at
        limit $1 for update skip locked)
     update notify.deliveries d
        set state = 'sending', attempts = d.attempts + 1, lease_token = $3,
            lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
       from due, notify.notifications n
      where d.id = due.id and n.id = d.notification_id
     returning d.id, d.notification_id as "notificationId", d.org_id as "orgId", d.user_id as "userId", d.channel,
       d.destination_encrypted as "destinationEncrypted", d.destination_masked as "destinationMasked", d.locale,
       d.attempts, d.max_attempts as "maxAttempts", d.lease_token as "leaseToken",
       d.push_subscription_id as "pushSubscriptionId", n.type, d.template_version as "templateVersion",
       n.data, n.url, n.trace_uuid as "traceUuid"`,
    [options.limit, options.leaseMs, options.leaseToken],
  );
  return rows.map(({ destinationEncrypted, ...row }) => ({
    ...row,
    locale: row.locale as Locale,
    destination: decryptString(secrets.ring, destinationEncrypted, row.id),
  }));
}

/**
 * Deliveries whose worker stopped answering (its lease ran out) become due again now. Returns
 * them so the interrupted attempt can be logged.
 */
export async function reclaimExpiredLeases(conn: SqlConnection): Promise<
  Array<{
    id: string;
    notificationId: string;
    orgId: string | null;
    userId: string | null;
    channel: ChannelKind;
    destinationMasked: string;
    attempts: number;
    type: string;
    traceUuid: string | null;
  }>
> {
  return conn.query(
    `update notify.deliveries d
        set state = 'pending', next_attempt_at = now(), lease_token = null, lease_until = null, updated_at = now(),
            last_error = 'the worker stopped during the attempt'
       from notify.notifications n
      where d.state = 'sending' and d.lease_until < now() and n.id = d.notification_id
     returning d.id, d.notification_id as "notificationId", d.org_id as "orgId", d.user_id as "userId",
       d.channel, d.destination_masked as "destinationMasked", d.attempts, n.type, n.trace_uuid as "traceUuid"`,
  );
}

/**
 * Gives leased rows back without counting the attempt (shutdown, channel rate limit), due again
 * after `delayMs`. Only rows still held under `leaseToken` are touched.
 */
export async function handBack(
  conn: SqlConnection,
  ids: readonly string[],
  leaseToken: string,
  delayMs: number,
): Promise<void> {
  if (ids.length === 0) return;
  await conn.query(
    `update notify.deliveries
        set state = 'pending', attempts = attempts - 1, lease_token = null, lease_until = null,
            next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
      where id = any($1::uuid[]) and lease_token = $2 and state = 'sending'`,
    [ids, leaseToken, delayMs],
  );
}

/**
 * Writes the outcomes of finished attempts in one statement per table. A row whose lease was
 * taken over meanwhile (this worker was presumed dead) is left alone and its attempt not logged
 * as the row's outcome: the new holder's attempt decides it.
 */
export async function recordAttempts(
  tx: SqlConnection,
  records: readonly AttemptRecord[],
): Promise<AttemptRecord[]> {
  if (records.length === 0) return [];
  const stateOf = (r: AttemptRecord): DeliveryState => (r.outcome === 'retry' ? 'pending' : r.outcome);
  const updated = await tx.query<{ id: string }>(
    `update notify.deliveries d
        set state = x.state, lease_token = null, lease_until = null, updated_at = now(),
            next_attempt_at = coalesce(x.next_at, d.next_attempt_at),
            last_error = x.reason,
            delivered_at = case when x.state = 'delivered' then x.sent_at else d.delivered_at end
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[])
         as x(id, token, state, next_at, reason, sent_at)
      where d.id = x.id and d.lease_token = x.token and d.state = 'sending'
     returning d.id`,
    [
      records.map((r) => r.work.id),
      records.map((r) => r.work.leaseToken),
      records.map(stateOf),
      records.map((r) => r.nextAttemptAt?.toISOString() ?? null),
      records.map((r) => r.reason?.slice(0, 1000) ?? null),
      records.map((r) => r.sentAt.toISOString()),
    ],
  );
  const kept = new Set(updated.map((row) => row.id));
  const recorded = records.filter((r) => kept.has(r.work.id));
  await insertLogs(
    tx,
    recorded.map((r) => ({
      deliveryId: r.work.id,
      notificationId: r.work.notificationId,
      orgId: r.work.orgId,
      userId: r.work.userId,
      recipient: r.work.destinationMasked,
      channel: r.work.channel,
      template: r.work.type,
      attempt: r.work.attempts,
      sentAt: r.sentAt,
      success: r.outcome === 'delivered',
      outcome: r.outcome,
      failureReason: r.reason,
      httpStatus: r.httpStatus,
      durationMs: r.durationMs,
      traceUuid: r.work.traceUuid,
    })),
  );
  await bumpStats(
    tx,
    recorded.flatMap((r) =>
      r.work.userId && r.outcome !== 'retry'
        ? [
            {
              userId: r.work.userId,
              channel: r.work.channel,
              day: r.sentAt.toISOString().slice(0, 10),
              delivered: r.outcome === 'delivered' ? 1 : 0,
              failed: r.outcome === 'delivered' ? 0 : 1,
              skipped: 0,
            },
          ]
        : [],
    ),
  );
  const gone = recorded.flatMap((r) =>
    r.gone && r.work.pushSubscriptionId ? [r.work.pushSubscriptionId] : [],
  );
  if (gone.length > 0)
    await tx.query('delete from notify.push_subscriptions where id = any($1::uuid[])', [gone]);
  const delivered = recorded.flatMap((r) =>
    r.outcome === 'delivered' && r.work.pushSubscriptionId ? [r.work.pushSubscriptionId] : [],
  );
  if (delivered.length > 0) {
    await tx.query(
      'update notify.push_subscriptions set last_success_at = now() where id = any($1::uuid[])',
      [delivered],
    );
  }
  return recorded;
}
