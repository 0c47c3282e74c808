import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Secrets } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { channelKinds } from '../channels/channel.types.js';
import type { ChannelSettings } from '../config/channel-settings.js';
import { listInbox, markRead, unreadCount } from '../inbox/inbox.repository.js';
import { actions, callerOf, channelKind, idParams, iso } from '../notify.http.js';
import {
  type ContactChannel,
  contactChannels,
  contactPointsOf,
  deleteContactPoint,
  deletePushSubscription,
  listPushSubscriptions,
  savePushSubscription,
  setContactPoint,
} from '../recipients/recipients.repository.js';
import { isE164, isEmail, maskDestination } from '../send/destinations.js';
import { formatClock, isTimeZone, parseClock } from './preferences.js';
import { preferencesOf, quietHoursOf, replacePreferences } from './preferences.repository.js';

const self = { action: actions.self };
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 22:30');
const typeName = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9_.-]{0,99})$/, 'must be a notification type such as commits.draft_ready, or *');
const preferenceSchema = z.object({
  type: typeName,
  channel: z.enum(['*', ...channelKinds]),
  enabled: z.boolean(),
});
const quietSchema = z.object({ start: clock, end: clock, timezone: z.string().min(1).max(64) });
const inboxItem = z.object({
  id: z.uuid(),
  notification_id: z.uuid(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  url: z.string().nullable(),
  read_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
const pushSchema = z.object({
  id: z.uuid(),
  device_id: z.uuid().nullable(),
  endpoint_origin: z.string(),
  user_agent: z.string().nullable(),
  created_at: z.iso.datetime(),
  last_success_at: z.iso.datetime().nullable(),
});

/**
 * What a signed-in user manages about their own notifications: the in-app inbox, preferences and
 * quiet hours, contact points (Slack id, webhook, e-mail and phone overrides), Web Push.
 */
export function selfRoutes(deps: {
  db: Database;
  secrets: Secrets;
  channels: ChannelSettings;
}): FastifyPluginAsyncZod {
  const { db, secrets, channels } = deps;
  return async function notifySelfPlugin(app) {
    app.get(
      '/inbox',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Your in-app notifications, newest first',
          querystring: z.object({
            unread: z.enum(['true', 'false']).default('false'),
            limit: z.coerce.number().int().min(1).max(100).default(30),
            before: z.uuid().optional().describe('The last id of the previous page'),
          }),
          response: {
            200: z.object({
              items: z.array(inboxItem),
              unread_count: z.number().int(),
              next_before: z.uuid().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const { userId } = callerOf(request);
        const q = request.query;
        const items = await listInbox(db, userId, {
          unreadOnly: q.unread === 'true',
          limit: q.limit,
          beforeId: q.before,
        });
        return {
          items: items.map((i) => ({
            id: i.id,
            notification_id: i.notificationId,
            type: i.type,
            title: i.title,
            body: i.body,
            url: i.url,
            read_at: iso(i.readAt),
            created_at: i.createdAt.toISOString(),
          })),
          unread_count: await unreadCount(db, userId),
          next_before: items.length === q.limit ? (items.at(-1)?.id ?? null) : null,
        };
      },
    );

    app.post(
      '/inbox/read',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Mark in-app notifications read (all of them without ids)',
          body: z.object({ ids: z.array(z.uuid()).min(1).max(500).optional() }).strict(),
          response: { 200: z.object({ updated: z.number().int() }) },
        },
      },
      async (request) => ({
        updated: await markRead(db, callerOf(request).userId, request.body.ids ?? null),
      }),
    );

    app.get(
      '/preferences',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Your notification preferences, quiet hours and contact points',
          response: {
            200: z.object({
              preferences: z.array(preferenceSchema),
              quiet_hours: quietSchema.nullable(),
              contacts: z.array(z.object({ channel: z.string(), destination: z.string() })),
            }),
          },
        },
      },
      async (request) => {
        const { userId } = callerOf(request);
        const [prefs, quiet, contacts] = await Promise.all([
          preferencesOf(db, [userId]),
          quietHoursOf(db, [userId]),
          contactPointsOf(db, secrets, [userId]),
        ]);
        const q = quiet.get(userId);
        return {
          preferences: prefs.map((p) => ({
            type: p.notificationType,
            channel: p.channel,
            enabled: p.enabled,
          })),
          quiet_hours: q
            ? { start: formatClock(q.startMinute), end: formatClock(q.endMinute), timezone: q.timezone }
            : null,
          contacts: contacts.map((c) => ({
            channel: c.channel,
            destination: maskDestination(c.channel, c.destination),
          })),
        };
      },
    );

    app.put(
      '/preferences',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Replace your preferences and quiet hours',
          description:
            'Each row says whether you take a notification type on a channel; `*` stands for every type or ' +
            'every channel, and the most specific row wins. Without a row, notifications are on. During quiet ' +
            'hours, notifications other than urgent ones wait for the end of the window.',
          body: z
            .object({ preferences: z.array(preferenceSchema).max(500), quiet_hours: quietSchema.nullable() })
            .strict(),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { userId } = callerOf(request);
        const b = request.body;
        const seen = new Set<string>();
        for (const [i, p] of b.preferences.entries()) {
          const key = `${p.type}/${p.channel}`;
          if (seen.has(key)) {
            throw new KeelError('validation_failed', `body.preferences[${i}]: ${key} appears twice`, {
              details: { errors: [{ field: `body.preferences[${i}]`, message: `${key} appears twice` }] },
            });
          }
          seen.add(key);
        }
        if (b.quiet_hours && !isTimeZone(b.quiet_hours.timezone)) {
          throw new KeelError(
            'validation_failed',
            'body.quiet_hours.timezone: not an IANA time zone such as Asia/Seoul',
            {
              details: {
                errors: [
                  { field: 'body.quiet_hours.timezone', message: 'not an IANA time zone such as Asia/Seoul' },
                ],
              },
            },
          );
        }
        await db.transaction((tx) =>
          replacePreferences(
            tx,
            userId,
            b.preferences.map((p) => ({ notificationType: p.type, channel: p.channel, enabled: p.enabled })),
            b.quiet_hours
              ? {
                  startMinute: parseClock(b.quiet_hours.start),
                  endMinute: parseClock(b.quiet_hours.end),
                  timezone: b.quiet_hours.timezone,
                }
              : null,
          ),
        );
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/contacts/:channel',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary:
            'Set where a channel reaches you (your Slack member id, a webhook, another e-mail or phone)',
          params: z.object({ channel: z.enum(contactChannels as [ContactChannel, ...ContactChannel[]]) }),
          body: z.object({ destination: z.string().trim().min(1).max(2000) }).strict(),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { channel } = request.params;
        const destination = request.body.destination;
        const problem = contactProblem(channel, destination);
        if (problem) {
          throw new KeelError('validation_failed', `body.destination: ${problem}`, {
            details: { errors: [{ field: 'body.destination', message: problem }] },
          });
        }
        if (channel === 'webhook') {
          try {
            await channels.checkWebhook(destination);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new KeelError('validation_failed', `body.destination: ${message}`, {
              details: { errors: [{ field: 'body.destination', message }] },
            });
          }
        }
        await setContactPoint(db, secrets, { userId: callerOf(request).userId, channel, destination });
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/contacts/:channel',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Remove a contact point',
          params: z.object({ channel: channelKind }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const channel = request.params.channel;
        const removed = contactChannels.includes(channel as ContactChannel)
          ? await deleteContactPoint(db, callerOf(request).userId, channel as ContactChannel)
          : false;
        if (!removed) throw new KeelError('not_found', `you have no ${channel} contact point`);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/push/vapid-public-key',
      {
        config: { action: 'public' },
        schema: {
          tags: ['notify'],
          summary: "The VAPID public key browsers subscribe with (the instance's Web Push settings)",
          response: { 200: z.object({ public_key: z.string() }) },
        },
      },
      async () => {
        const config = await channels.publicConfig(null, 'webpush');
        const key = typeof config?.publicKey === 'string' ? config.publicKey : null;
        if (!key) throw new KeelError('not_found', 'Web Push is not configured on this instance');
        return { public_key: key };
      },
    );

    app.get(
      '/push/subscriptions',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Your Web Push subscriptions (one per browser)',
          response: { 200: z.object({ items: z.array(pushSchema) }) },
        },
      },
      async (request) => ({
        items: (await listPushSubscriptions(db, callerOf(request).userId)).map((s) => ({
          id: s.id,
          device_id: s.deviceId,
          endpoint_origin: new URL(s.endpoint).origin,
          user_agent: s.userAgent,
          created_at: s.createdAt.toISOString(),
          last_success_at: iso(s.lastSuccessAt),
        })),
      }),
    );

    app.post(
      '/push/subscriptions',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: "Save this browser's Web Push subscription (PushSubscription.toJSON())",
          body: z
            .object({
              endpoint: z.url({ protocol: /^https?$/ }).max(1000),
              keys: z.object({
                p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be the base64url P-256 public key'),
                auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, 'must be the base64url auth secret'),
              }),
              device_id: z.uuid().optional(),
            })
            .strict(),
          response: { 201: pushSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        try {
          await channels.outbound.checkHost(new URL(b.endpoint).hostname, 'push endpoint');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new KeelError('validation_failed', `body.endpoint: ${message}`, {
            details: { errors: [{ field: 'body.endpoint', message }] },
          });
        }
        const saved = await savePushSubscription(db, secrets, {
          userId: callerOf(request).userId,
          deviceId: b.device_id ?? null,
          endpoint: b.endpoint,
          keys: b.keys,
          userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        });
        return reply.code(201).send({
          id: saved.id,
          device_id: saved.deviceId,
          endpoint_origin: new URL(saved.endpoint).origin,
          user_agent: saved.userAgent,
          created_at: saved.createdAt.toISOString(),
          last_success_at: iso(saved.lastSuccessAt),
        });
      },
    );

    app.delete(
      '/push/subscriptions/:id',
      {
        config: self,
        schema: {
          tags: ['notify'],
          summary: 'Remove a Web Push subscription',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!(await deletePushSubscription(db, callerOf(request).userId, request.params.id))) {
          throw new KeelError('not_found', 'no such subscription of yours');
        }
        return reply.code(204).send(null);
      },
    );
  };
}

function contactProblem(channel: ContactChannel, destination: string): string | null {
  switch (channel) {
    case 'email':
      return isEmail(destination) ? null : 'must be an e-mail address';
    case 'sms':
    case 'kakao':
      return isE164(destination) ? null : 'must be an E.164 number such as +821012345678';
    case 'slack':
      return /^[UW][A-Z0-9]{2,20}$/.test(destination) ? null : 'must be a Slack member id such as U0123ABCD';
    case 'webhook':
      return null;
  }
}
