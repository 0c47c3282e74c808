import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { DeliveryView } from '../delivery/delivery.repository.js';
import { deliveriesOf } from '../delivery/delivery.repository.js';
import { priorities } from '../delivery/delivery.types.js';
import { queueSummary, readLogs, readStats } from '../delivery/delivery-log.repository.js';
import type { Notify } from '../notify.context.js';
import { actions, callerOf, channelKind, idParams, iso } from '../notify.http.js';
import { locales } from '../templates/render.js';

const recipient = z.union([
  z.object({ user_id: z.uuid() }).strict(),
  z.object({ email: z.string().max(320) }).strict(),
  z.object({ phone: z.string().max(20) }).strict(),
  z.object({ slack: z.string().max(80) }).strict(),
  z.object({ webhook: z.string().max(2000) }).strict(),
]);
const deliverySchema = z.object({
  id: z.uuid(),
  channel: z.string(),
  destination: z.string().describe('Masked: enough to recognize, not to use'),
  state: z.enum(['pending', 'sending', 'delivered', 'failed', 'dead', 'skipped']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: z.iso.datetime(),
  delivered_at: z.iso.datetime().nullable(),
});
const logSchema = z.object({
  id: z.string(),
  delivery_id: z.uuid().nullable(),
  notification_id: z.uuid(),
  org_id: z.uuid().nullable(),
  user_id: z.uuid().nullable(),
  recipient: z.string(),
  channel: z.string(),
  template: z.string(),
  attempt: z.number().int(),
  sent_at: z.iso.datetime(),
  success: z.boolean(),
  outcome: z.string(),
  failure_reason: z.string().nullable(),
  http_status: z.number().int().nullable(),
  duration_ms: z.number().int().nullable(),
  trace_uuid: z.uuid().nullable(),
});
const day = z.iso.date();

export const deliveryDto = (d: DeliveryView): z.infer<typeof deliverySchema> => ({
  id: d.id,
  channel: d.channel,
  destination: d.destinationMasked,
  state: d.state,
  attempts: d.attempts,
  last_error: d.lastError,
  next_attempt_at: d.nextAttemptAt.toISOString(),
  delivered_at: iso(d.deliveredAt),
});

/** `/notify/send` and the delivery views of the admin console (log, queue, counters). */
export function sendRoutes(deps: { db: Database; notify: Notify }): FastifyPluginAsyncZod {
  const { db, notify } = deps;
  return async function notifySendPlugin(app) {
    app.post(
      '/send',
      {
        config: { action: actions.send },
        schema: {
          tags: ['notify'],
          summary: 'Send a notification (queued; answered with one delivery per channel and destination)',
          body: z
            .object({
              to: z.union([recipient, z.array(recipient).min(1).max(1000)]),
              template: z
                .string()
                .regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be a template name such as notify.test'),
              data: z.record(z.string(), z.unknown()).default({}),
              channels: z.array(channelKind).min(1).max(7).optional(),
              priority: z.enum(priorities).default('normal'),
              dedupe_key: z.string().min(1).max(200).optional(),
              org_id: z.uuid().nullable().optional(),
              locale: z.enum(locales).optional(),
              url: z
                .url({ protocol: /^https?$/ })
                .max(2000)
                .optional(),
            })
            .strict(),
          response: {
            202: z.object({
              notification_id: z.uuid(),
              duplicate: z.boolean(),
              deliveries: z.array(deliverySchema),
            }),
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const caller = callerOf(request);
        if (JSON.stringify(b.data).length > 64 * 1024) {
          throw new KeelError('payload_too_large', 'body.data: at most 64 KiB of template data');
        }
        const result = await notify.send({
          to: (Array.isArray(b.to) ? b.to : [b.to]).map((r) => ('user_id' in r ? { userId: r.user_id } : r)),
          template: b.template,
          data: b.data,
          channels: b.channels,
          priority: b.priority,
          dedupeKey: b.dedupe_key,
          orgId: b.org_id === undefined ? caller.orgId : b.org_id,
          locale: b.locale,
          url: b.url,
          createdBy: caller.userId,
        });
        return reply.code(202).send({
          notification_id: result.notificationId,
          duplicate: result.duplicate,
          deliveries: result.deliveries.map(deliveryDto),
        });
      },
    );

    app.get(
      '/notifications/:id/deliveries',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: "A notification's deliveries and their states",
          params: idParams,
          response: { 200: z.object({ items: z.array(deliverySchema) }) },
        },
      },
      async (request) => {
        const items = await deliveriesOf(db, request.params.id);
        if (items.length === 0) throw new KeelError('not_found', 'no such notification');
        return { items: items.map(deliveryDto) };
      },
    );

    app.get(
      '/logs',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'The delivery log: every attempt and every skip, newest first',
          querystring: z.object({
            user_id: z.uuid().optional(),
            org_id: z.uuid().optional(),
            channel: channelKind.optional(),
            outcome: z
              .enum(['delivered', 'retry', 'failed', 'dead', 'skipped', 'deferred', 'interrupted'])
              .optional(),
            notification_id: z.uuid().optional(),
            delivery_id: z.uuid().optional(),
            cursor: z
              .string()
              .regex(/^\d{1,18}$/, 'must be the next_cursor of the previous page')
              .optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(logSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const q = request.query;
        const rows = await readLogs(db, {
          userId: q.user_id,
          orgId: q.org_id,
          channel: q.channel,
          outcome: q.outcome,
          notificationId: q.notification_id,
          deliveryId: q.delivery_id,
          before: q.cursor === undefined ? undefined : Number(q.cursor),
          limit: q.limit,
        });
        return {
          items: rows.map((r) => ({
            id: String(r.id),
            delivery_id: r.deliveryId,
            notification_id: r.notificationId,
            org_id: r.orgId,
            user_id: r.userId,
            recipient: r.recipient,
            channel: r.channel,
            template: r.template,
            attempt: r.attempt,
            sent_at: r.sentAt.toISOString(),
            success: r.success,
            outcome: r.outcome,
            failure_reason: r.failureReason,
            http_status: r.httpStatus,
            duration_ms: r.durationMs,
            trace_uuid: r.traceUuid,
          })),
          next_cursor: rows.length === q.limit ? String(rows.at(-1)?.id) : null,
        };
      },
    );

    app.get(
      '/stats',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Deliveries per user, channel and day (seed 000 noti_stat)',
          querystring: z.object({ user_id: z.uuid().optional(), from: day.optional(), to: day.optional() }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  user_id: z.uuid(),
                  channel: z.string(),
                  day,
                  delivered: z.number().int(),
                  failed: z.number().int(),
                  skipped: z.number().int(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const to = q.to ?? new Date().toISOString().slice(0, 10);
        const from = q.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
        if (from > to) {
          throw new KeelError('validation_failed', 'querystring.from: must not be after to', {
            details: { errors: [{ field: 'querystring.from', message: 'must not be after to' }] },
          });
        }
        const rows = await readStats(db, { userId: q.user_id, from, to });
        return {
          items: rows.map((r) => ({
            user_id: r.userId,
            channel: r.channel,
            day: r.day,
            delivered: r.delivered,
            failed: r.failed,
            skipped: r.skipped,
          })),
        };
      },
    );

    app.get(
      '/queue',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary:
            'Deliveries per channel and state (waiting ones, and those that finished in the last 24 h)',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  channel: z.string(),
                  state: z.string(),
                  count: z.number().int(),
                  oldest_due: z.iso.datetime().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({
        items: (await queueSummary(db)).map((r) => ({
          channel: r.channel,
          state: r.state,
          count: r.count,
          oldest_due: iso(r.oldestDue),
        })),
      }),
    );
  };
}
