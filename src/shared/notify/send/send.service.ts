import { randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { currentTrace } from '../../../kernel/trace/index.js';
import { type NotificationContact, notificationContacts } from '../../identity/index.js';
import type { ChannelKind } from '../channels/channel.types.js';
import {
  bumpStats,
  type DeliveryView,
  deliveriesOf,
  insertDeliveries,
  insertLogs,
  insertNotification,
  type LogLine,
  notificationIdByDedupeKey,
} from '../delivery/delivery.repository.js';
import { type NewDelivery, type Priority, priorityRank } from '../delivery/delivery.types.js';
import { allows, type PreferenceRow, type QuietHours, quietUntil } from '../prefs/preferences.js';
import { preferencesOf, quietHoursOf } from '../prefs/preferences.repository.js';
import {
  type ContactPoint,
  contactPointsOf,
  pushSubscriptionsOf,
} from '../recipients/recipients.repository.js';
import type { Locale } from '../templates/render.js';
import type { Templates } from '../templates/templates.service.js';
import { isE164, isEmail, maskDestination } from './destinations.js';

/** Who to notify: a user (reached on each channel asked for), or one address on one channel. */
export type Recipient =
  | { userId: string }
  | { email: string }
  | { phone: string }
  | { slack: string }
  | { webhook: string };

export interface SendInput {
  to: Recipient | readonly Recipient[];
  /** The template's name, which is also the notification type preferences refer to. */
  template: string;
  data?: Record<string, unknown>;
  /** For user recipients; default in-app only. A phone recipient takes `sms` and/or `kakao` from it. */
  channels?: readonly ChannelKind[];
  priority?: Priority;
  /** A second send with the same key answers with the first one's result and sends nothing. */
  dedupeKey?: string;
  /** Whose channel settings apply (the instance's when null or when the org has none). */
  orgId?: string | null;
  /** Overrides each user's language. */
  locale?: Locale;
  url?: string;
  createdBy?: string | null;
}

export interface SendResult {
  notificationId: string;
  duplicate: boolean;
  deliveries: DeliveryView[];
}

export interface SendDeps {
  db: Database;
  secrets: Secrets;
  templates: Templates;
  /** Whether the org (or the instance) has the channel set up and enabled. */
  isConfigured(orgId: string | null, channel: ChannelKind): Promise<boolean>;
  /** Throws (with a message for the user) when a webhook URL may not be called. */
  checkWebhook(url: string): Promise<void>;
  /**
   * Counts `amount` Kakao messages against the member's plan (userId null: a send by the system
   * to a bare number, the org's or nobody's); throws rate_limited when used up.
   */
  consumeKakao(member: { userId: string | null; orgId: string | null }, amount: number): Promise<void>;
  /** The dispatcher: a delivery is due. */
  wake(): void;
  maxAttempts: number;
  now?: () => Date;
}

/** Enqueues a notification; see {@link Notify.send}. */
export function createSend(deps: SendDeps): (input: SendInput) => Promise<SendResult> {
  const { db, secrets, templates } = deps;
  const now = deps.now ?? (() => new Date());

  return async function send(input) {
    const at = now();
    const recipients = Array.isArray(input.to) ? input.to : [input.to as Recipient];
    if (recipients.length === 0) throw invalid('to', 'name at least one recipient');
    if (recipients.length > 1000) throw invalid('to', 'at most 1000 recipients per send');
    const priority = input.priority ?? 'normal';
    const orgId = input.orgId ?? null;
    const data = input.data ?? {};

    if (input.dedupeKey) {
      const existing = await notificationIdByDedupeKey(db, input.dedupeKey);
      if (existing)
        return { notificationId: existing, duplicate: true, deliveries: await deliveriesOf(db, existing) };
    }

    const userIds = [...new Set(recipients.flatMap((r) => ('userId' in r ? [r.userId] : [])))];
    const [contacts, points, pushes, prefs, quiet] = await Promise.all([
      notificationContacts(db, secrets, userIds),
      contactPointsOf(db, secrets, userIds),
      pushSubscriptionsOf(db, secrets, userIds),
      preferencesOf(db, userIds, input.template),
      quietHoursOf(db, userIds),
    ]);
    const configured = new Map<ChannelKind, Promise<boolean>>();
    const isConfigured = (channel: ChannelKind) => {
      if (channel === 'inapp') return Promise.resolve(true);
      let known = configured.get(channel);
      if (!known) {
        known = deps.isConfigured(orgId, channel);
        configured.set(channel, known);
      }
      return known;
    };

    const planned: Planned[] = [];
    for (const [index, recipient] of recipients.entries()) {
      const field = `to[${index}]`;
      if ('userId' in recipient) {
        const contact = contacts.get(recipient.userId);
        if (!contact) throw invalid(`${field}.userId`, `there is no user ${recipient.userId}`);
        const channels = input.channels ?? ['inapp'];
        for (const channel of new Set(channels)) {
          planned.push(
            ...(await planForUser({
              contact,
              channel,
              points: points.filter((p) => p.userId === contact.userId),
              pushes: pushes.filter((p) => p.userId === contact.userId),
              prefs: prefs.filter((p) => p.userId === contact.userId),
              quiet: quiet.get(contact.userId),
              type: input.template,
              priority,
              at,
              isConfigured,
              checkWebhook: deps.checkWebhook,
            })),
          );
        }
        continue;
      }
      for (const [channel, destination] of await directDestinations(recipient, field, input.channels, deps)) {
        const ready = await isConfigured(channel);
        planned.push({
          userId: null,
          channel,
          destination,
          pushSubscriptionId: null,
          state: ready ? 'pending' : 'skipped',
          nextAttemptAt: at,
          reason: ready ? null : notConfigured(channel),
          deferred: false,
        });
      }
    }

    await chargeKakao(planned, orgId, input.createdBy ?? null, deps);

    const notificationId = randomUUID();
    const traceUuid = currentTrace()?.traceUuid ?? null;
    const localeOf = (userId: string | null): Locale =>
      input.locale ?? (userId ? (contacts.get(userId)?.language ?? 'ko') : 'en');
    const versions = new Map<Locale, number>();
    for (const locale of new Set(planned.map((p) => localeOf(p.userId)))) {
      versions.set(locale, (await templates.current(input.template, locale)).version);
    }
    if (versions.size === 0) await templates.current(input.template, input.locale ?? 'en');

    const rows: NewDelivery[] = planned.map((p) => {
      const locale = localeOf(p.userId);
      return {
        id: randomUUID(),
        userId: p.userId,
        channel: p.channel,
        destination: p.destination ?? '',
        destinationMasked: p.destination ? maskDestination(p.channel, p.destination) : '-',
        locale,
        templateVersion: versions.get(locale) ?? 0,
        state: p.state,
        nextAttemptAt: p.nextAttemptAt,
        pushSubscriptionId: p.pushSubscriptionId,
        reason: p.reason,
      };
    });
    const logLine = (row: NewDelivery, outcome: 'skipped' | 'deferred'): LogLine => ({
      deliveryId: row.id,
      notificationId,
      orgId,
      userId: row.userId,
      recipient: row.destinationMasked,
      channel: row.channel,
      template: input.template,
      attempt: 0,
      sentAt: at,
      success: false,
      outcome,
      failureReason: row.reason,
      httpStatus: null,
      durationMs: null,
      traceUuid,
    });

    const inserted = await db.transaction(async (tx) => {
      const fresh = await insertNotification(tx, {
        id: notificationId,
        orgId,
        type: input.template,
        data,
        url: input.url ?? null,
        priority,
        dedupeKey: input.dedupeKey ?? null,
        traceUuid,
        createdBy: input.createdBy ?? null,
      });
      if (!fresh) return false;
      await insertDeliveries(
        tx,
        secrets,
        { id: notificationId, orgId, priority: priorityRank[priority], maxAttempts: deps.maxAttempts },
        rows,
      );
      await insertLogs(tx, [
        ...rows.filter((r) => r.state === 'skipped').map((r) => logLine(r, 'skipped')),
        ...planned.flatMap((p, i) => (p.deferred ? [logLine(rows[i] as NewDelivery, 'deferred')] : [])),
      ]);
      await bumpStats(
        tx,
        rows.flatMap((r) =>
          r.state === 'skipped' && r.userId
            ? [
                {
                  userId: r.userId,
                  channel: r.channel,
                  day: at.toISOString().slice(0, 10),
                  delivered: 0,
                  failed: 0,
                  skipped: 1,
                },
              ]
            : [],
        ),
      );
      return true;
    });
    if (!inserted) {
      // Another send with the same key won the race between our check and our insert.
      const existing = (await notificationIdByDedupeKey(db, input.dedupeKey ?? '')) as string;
      return { notificationId: existing, duplicate: true, deliveries: await deliveriesOf(db, existing) };
    }
    if (rows.some((r) => r.state === 'pending')) deps.wake();
    // As inserted (the dispatcher may already be at work on them; callers poll for outcomes).
    const deliveries: DeliveryView[] = rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      destinationMasked: r.destinationMasked,
      state: r.state,
      attempts: 0,
      lastError: r.reason,
      nextAttemptAt: r.nextAttemptAt,
      deliveredAt: null,
    }));
    return { notificationId, duplicate: false, deliveries };
  };
}

interface Planned {
  userId: string | null;
  channel: ChannelKind;
  destination: string | null;
  pushSubscriptionId: string | null;
  state: 'pending' | 'skipped';
  nextAttemptAt: Date;
  reason: string | null;
  deferred: boolean;
}

async function planForUser(args: {
  contact: NotificationContact;
  channel: ChannelKind;
  points: ContactPoint[];
  pushes: Array<{ id: string; subscription: string }>;
  prefs: PreferenceRow[];
  quiet: QuietHours | undefined;
  type: string;
  priority: Priority;
  at: Date;
  isConfigured(channel: ChannelKind): Promise<boolean>;
  checkWebhook(url: string): Promise<void>;
}): Promise<Planned[]> {
  const { contact, channel, at } = args;
  const skip = (reason: string, destination: string | null = null): Planned[] => [
    {
      userId: contact.userId,
      channel,
      destination,
      pushSubscriptionId: null,
      state: 'skipped',
      nextAttemptAt: at,
      reason,
      deferred: false,
    },
  ];
  const point = args.points.find((p) => p.channel === channel)?.destination;
  const targets: Array<{ destination: string; pushSubscriptionId: string | null }> =
    channel === 'inapp'
      ? [{ destination: contact.userId, pushSubscriptionId: null }]
      : channel === 'webpush'
        ? args.pushes.map((p) => ({ destination: p.subscription, pushSubscriptionId: p.id }))
        : channel === 'email'
          ? present(point ?? contact.email)
          : channel === 'sms' || channel === 'kakao'
            ? present(point ?? contact.phone)
            : present(point);

  if (!contact.active) return skip('the user is inactive or erased');
  if (channel !== 'inapp' && !contact.notificationsEnabled) return skip('the user turned notifications off');
  if (!allows(args.prefs, args.type, channel))
    return skip(`the user opted out of ${args.type} on ${channel}`);
  if (targets.length === 0) return skip(`the user has no ${channel} address`);
  if (!(await args.isConfigured(channel))) return skip(notConfigured(channel));
  if (channel === 'webhook') {
    try {
      await args.checkWebhook(targets[0]?.destination as string);
    } catch (error) {
      return skip(error instanceof Error ? error.message : String(error), targets[0]?.destination);
    }
  }
  const until =
    channel !== 'inapp' && args.priority !== 'urgent' && args.quiet ? quietUntil(at, args.quiet) : null;
  return targets.map((t) => ({
    userId: contact.userId,
    channel,
    destination: t.destination,
    pushSubscriptionId: t.pushSubscriptionId,
    state: 'pending',
    nextAttemptAt: until ?? at,
    reason: until ? `quiet hours until ${until.toISOString()}` : null,
    deferred: until !== null,
  }));
}

function present(value: string | null | undefined): Array<{ destination: string; pushSubscriptionId: null }> {
  return value ? [{ destination: value, pushSubscriptionId: null }] : [];
}

async function directDestinations(
  recipient: Exclude<Recipient, { userId: string }>,
  field: string,
  channels: readonly ChannelKind[] | undefined,
  deps: Pick<SendDeps, 'checkWebhook'>,
): Promise<Array<[ChannelKind, string]>> {
  if ('email' in recipient) {
    if (!isEmail(recipient.email)) throw invalid(`${field}.email`, 'must be an e-mail address');
    return [['email', recipient.email]];
  }
  if ('phone' in recipient) {
    if (!isE164(recipient.phone))
      throw invalid(`${field}.phone`, 'must be an E.164 number such as +821012345678');
    const phoneChannels = (channels ?? ['sms']).filter((c) => c === 'sms' || c === 'kakao');
    if (phoneChannels.length === 0) throw invalid('channels', 'a phone recipient needs sms or kakao');
    return phoneChannels.map((c) => [c, recipient.phone]);
  }
  if ('slack' in recipient) {
    if (!/^[A-Z0-9#][A-Za-z0-9._-]{1,79}$/.test(recipient.slack)) {
      throw invalid(`${field}.slack`, 'must be a Slack user or channel id (U…, C…) or #channel');
    }
    return [['slack', recipient.slack]];
  }
  try {
    await deps.checkWebhook(recipient.webhook);
  } catch (error) {
    throw invalid(`${field}.webhook`, error instanceof Error ? error.message : String(error));
  }
  return [['webhook', recipient.webhook]];
}

/** Kakao messages count against the plan's monthly allowance; what does not fit is skipped. */
async function chargeKakao(
  planned: Planned[],
  orgId: string | null,
  sender: string | null,
  deps: SendDeps,
): Promise<void> {
  // A user's messages count against the user's plan (or their org's); a message to a bare number
  // counts against the sender's.
  const byMember = new Map<string | null, Planned[]>();
  for (const p of planned) {
    if (p.channel !== 'kakao' || p.state !== 'pending') continue;
    const member = p.userId ?? sender;
    const list = byMember.get(member) ?? [];
    list.push(p);
    byMember.set(member, list);
  }
  for (const [userId, items] of byMember) {
    try {
      await deps.consumeKakao({ userId, orgId }, items.length);
    } catch (error) {
      if (!(error instanceof KeelError) || error.code !== 'rate_limited') throw error;
      for (const item of items) {
        item.state = 'skipped';
        item.reason = `the plan's Kakao allowance is used up: ${error.message}`;
        item.deferred = false;
      }
    }
  }
}

function notConfigured(channel: ChannelKind): string {
  return `${channel} is not configured for this org or the instance`;
}

function invalid(field: string, message: string): KeelError {
  return new KeelError('validation_failed', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });
}
