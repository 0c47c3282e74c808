import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * One delivery service for every product (seeds 000 `04_noti_pref`, `05_noti_stat`,
 * `09_notification_delivery`; 004 `system_notifications`). User and org ids are plain columns:
 * identity owns those rows.
 */
export const notifySchema = pgSchema('notify');

const created = createdAtColumn;
const updated = updatedAtColumn;
const channelKinds = sql`('slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp')`;

/** A channel's provider settings, per org (org_id null: the instance default). */
export const channelConfigs = notifySchema.table(
  'channel_configs',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id'),
    channel: varchar('channel', { length: 16 }).notNull(),
    /** Non-secret settings (hosts, sender ids), validated by the channel's schema. */
    config: jsonb('config').notNull().default({}),
    /** kv1 ciphertext of the JSON of the secret settings (AAD: the row id). */
    secretsEncrypted: text('secrets_encrypted'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('channel_configs_org_channel_key').on(
      sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.channel,
    ),
    check('channel_configs_channel_check', sql`${t.channel} in ${channelKinds}`),
  ],
);

/** Hosts and CIDRs an admin allows as destinations although they are private (SSRF guard). */
export const destinationAllowlist = notifySchema.table(
  'destination_allowlist',
  {
    id: uuid('id').primaryKey(),
    /** A host name (`hooks.internal`) or a CIDR (`10.0.0.0/8`, `127.0.0.1/32`). */
    entry: varchar('entry', { length: 255 }).notNull(),
    note: varchar('note', { length: 500 }),
    createdBy: uuid('created_by'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('destination_allowlist_entry_key').on(sql`lower(${t.entry})`)],
);

/** Named, versioned message templates; a new version is a new row, never an edit. */
export const templates = notifySchema.table(
  'templates',
  {
    id: uuid('id').primaryKey(),
    name: varchar('name', { length: 100 }).notNull(),
    locale: varchar('locale', { length: 8 }).notNull(),
    version: integer('version').notNull(),
    subject: varchar('subject', { length: 500 }).notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** Kakao AlimTalk: the template code registered with Kakao, its parameters filled from data. */
    kakaoTemplateCode: varchar('kakao_template_code', { length: 64 }),
    createdBy: uuid('created_by'),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('templates_name_locale_version_key').on(t.name, t.locale, t.version),
    check('templates_locale_check', sql`${t.locale} in ('ko', 'en')`),
    check('templates_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * Seed 000 `04_noti_pref`: whether a user takes a notification type on a channel. `*` in either
 * column is the user's default; the most specific row wins.
 */
export const preferences = notifySchema.table(
  'preferences',
  {
    userId: uuid('user_id').notNull(),
    notificationType: varchar('notification_type', { length: 100 }).notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: updated(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.notificationType, t.channel] }),
    check('preferences_channel_check', sql`${t.channel} = '*' or ${t.channel} in ${channelKinds}`),
  ],
);

/** A user's quiet hours: sends in the window wait for its end (urgent ones do not). */
export const quietHours = notifySchema.table(
  'quiet_hours',
  {
    userId: uuid('user_id').primaryKey(),
    /** Minutes after local midnight; a window may wrap midnight (22:00–07:00). */
    startMinute: smallint('start_minute').notNull(),
    endMinute: smallint('end_minute').notNull(),
    /** IANA time zone, e.g. `Asia/Seoul`. */
    timezone: varchar('timezone', { length: 64 }).notNull(),
    updatedAt: updated(),
  },
  (t) => [
    check(
      'quiet_hours_minutes_check',
      sql`${t.startMinute} between 0 and 1439 and ${t.endMinute} between 0 and 1439`,
    ),
  ],
);

/** Where a user is reached on channels identity does not know: a Slack member id, a webhook. */
export const contactPoints = notifySchema.table(
  'contact_points',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    /** kv1 ciphertext of the destination (AAD: the row id). */
    destinationEncrypted: text('destination_encrypted').notNull(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('contact_points_user_channel_key').on(t.userId, t.channel),
    check('contact_points_channel_check', sql`${t.channel} in ('slack', 'webhook', 'email', 'sms', 'kakao')`),
  ],
);

/** Web Push subscriptions, one per browser or device of a user. */
export const pushSubscriptions = notifySchema.table(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** identity's device profile, when the browser is known there. */
    deviceId: uuid('device_id'),
    /** The push service URL; unique across users (a browser has one). */
    endpoint: varchar('endpoint', { length: 1000 }).notNull(),
    /** kv1 ciphertext of `{p256dh, auth}` (AAD: the row id). */
    keysEncrypted: text('keys_encrypted').notNull(),
    userAgent: varchar('user_agent', { length: 300 }),
    createdAt: created(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('push_subscriptions_endpoint_key').on(t.endpoint),
    index('push_subscriptions_user_idx').on(t.userId),
  ],
);

/** One `notify.send` call. */
export const notifications = notifySchema.table(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id'),
    /** The notification type: the template's name. */
    type: varchar('type', { length: 100 }).notNull(),
    data: jsonb('data').notNull().default({}),
    /** The link the message points to (an approval page), sent with it on every channel. */
    url: varchar('url', { length: 2000 }),
    /** low | normal | high | urgent (urgent ignores quiet hours). */
    priority: varchar('priority', { length: 8 }).notNull(),
    /** A second send with the same key is the same notification (answered, not sent again). */
    dedupeKey: varchar('dedupe_key', { length: 200 }),
    traceUuid: uuid('trace_uuid'),
    createdBy: uuid('created_by'),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_created_idx').on(t.createdAt),
    check('notifications_priority_check', sql`${t.priority} in ('low', 'normal', 'high', 'urgent')`),
  ],
);

/**
 * One message to one destination on one channel: the queue and its state. A worker leases a row
 * (`sending`, `lease_until`); a lease that runs out (the worker died) makes the row due again.
 */
export const deliveries = notifySchema.table(
  'deliveries',
  {
    id: uuid('id').primaryKey(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    userId: uuid('user_id'),
    channel: varchar('channel', { length: 16 }).notNull(),
    /** kv1 ciphertext of the destination (AAD: the row id): addresses and numbers are personal. */
    destinationEncrypted: text('destination_encrypted').notNull(),
    /** For logs and the console: `k***@example.com`, `+82******5678`, a webhook's host. */
    destinationMasked: varchar('destination_masked', { length: 300 }).notNull(),
    locale: varchar('locale', { length: 8 }).notNull(),
    /** The template version rendered on every attempt (0: Keel's built-in text). */
    templateVersion: integer('template_version').notNull(),
    /** pending → sending → delivered | failed (permanent) | dead (retries used up) | skipped. */
    state: varchar('state', { length: 12 }).notNull(),
    /** Higher first among due rows. */
    priority: smallint('priority').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Random per lease: only the holder of the current lease may record the outcome. */
    leaseToken: uuid('lease_token'),
    lastError: varchar('last_error', { length: 1000 }),
    /** Push subscription the row targets, so a gone subscription can be removed. */
    pushSubscriptionId: uuid('push_subscription_id'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index('deliveries_due_idx').on(t.priority.desc(), t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('deliveries_lease_idx').on(t.leaseUntil).where(sql`${t.state} = 'sending'`),
    index('deliveries_notification_idx').on(t.notificationId),
    index('deliveries_user_idx').on(t.userId, t.createdAt),
    check('deliveries_channel_check', sql`${t.channel} in ${channelKinds}`),
    check(
      'deliveries_state_check',
      sql`${t.state} in ('pending', 'sending', 'delivered', 'failed', 'dead', 'skipped')`,
    ),
  ],
);

/** Seed 000 `09_notification_delivery`: every attempt (and every skip), never updated. */
export const deliveryLogs = notifySchema.table(
  'notification_delivery_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id'),
    notificationId: uuid('notification_id').notNull(),
    orgId: uuid('org_id'),
    /** The recipient user, when the destination belongs to one. */
    userId: uuid('user_id'),
    recipient: varchar('recipient', { length: 300 }).notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    template: varchar('template', { length: 100 }).notNull(),
    attempt: integer('attempt').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    success: boolean('success').notNull(),
    /** delivered | retry | failed | dead | skipped | deferred | interrupted */
    outcome: varchar('outcome', { length: 12 }).notNull(),
    failureReason: varchar('failure_reason', { length: 1000 }),
    httpStatus: smallint('http_status'),
    durationMs: integer('duration_ms'),
    traceUuid: uuid('trace_uuid'),
  },
  (t) => [
    index('delivery_logs_delivery_idx').on(t.deliveryId),
    index('delivery_logs_sent_idx').on(t.sentAt),
    index('delivery_logs_user_idx').on(t.userId, t.sentAt),
  ],
);

/** Seed 000 `05_noti_stat`: counts per user, channel and day (UTC). */
export const stats = notifySchema.table(
  'stats',
  {
    userId: uuid('user_id').notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    day: date('day').notNull(),
    delivered: integer('delivered').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channel, t.day] })],
);

/** The in-app channel: what the web app's bell shows. */
export const inbox = notifySchema.table(
  'inbox',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    notificationId: uuid('notification_id').notNull(),
    type: varchar('type', { length: 100 }).notNull(),
    title: varchar('title', { length: 500 }).notNull(),
    body: text('body').notNull(),
    url: varchar('url', { length: 2000 }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('inbox_notification_user_key').on(t.notificationId, t.userId),
    index('inbox_user_idx').on(t.userId, t.createdAt),
  ],
);

/** Seed 004 `system_notifications`: notices shown to every user in a display window. */
export const systemNotices = notifySchema.table(
  'system_notices',
  {
    id: uuid('id').primaryKey(),
    title: varchar('title', { length: 200 }).notNull(),
    content: text('content').notNull(),
    noticeType: varchar('notice_type', { length: 16 }).notNull(),
    priority: varchar('priority', { length: 16 }).notNull().default('normal'),
    isActive: boolean('is_active').notNull().default(true),
    displayFrom: timestamp('display_from', { withTimezone: true }),
    displayUntil: timestamp('display_until', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    check('system_notices_type_check', sql`${t.noticeType} in ('maintenance', 'update', 'notice')`),
    check('system_notices_priority_check', sql`${t.priority} in ('low', 'normal', 'high', 'critical')`),
    check(
      'system_notices_window_check',
      sql`${t.displayFrom} is null or ${t.displayUntil} is null or ${t.displayFrom} < ${t.displayUntil}`,
    ),
    index('system_notices_active_idx').on(t.displayFrom).where(sql`${t.isActive}`),
  ],
);

/** Short-lived, single-use links (an approval page): the token carries the id and an HMAC. */
export const signedLinks = notifySchema.table(
  'signed_links',
  {
    id: uuid('id').primaryKey(),
    purpose: varchar('purpose', { length: 64 }).notNull(),
    /** What the link acts on, e.g. `{ "draftId": "…" }`; returned when the link is used. */
    subject: jsonb('subject').notNull(),
    userId: uuid('user_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [index('signed_links_expires_idx').on(t.expiresAt)],
);
