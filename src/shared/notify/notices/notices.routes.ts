import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { PUBLIC } from '../../../kernel/http/index.js';
import { actions, callerOf, idParams, iso } from '../notify.http.js';
import {
  activeNotices,
  deleteNotice,
  insertNotice,
  listNotices,
  type NoticeInput,
  type NoticeRow,
  noticePriorities,
  noticeTypes,
  updateNotice,
} from './notices.repository.js';

const noticeSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  content: z.string(),
  notice_type: z.enum(noticeTypes),
  priority: z.enum(noticePriorities),
  is_active: z.boolean(),
  display_from: z.iso.datetime().nullable(),
  display_until: z.iso.datetime().nullable(),
  created_by: z.uuid().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
const noticeBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    content: z.string().trim().min(1).max(20_000),
    notice_type: z.enum(noticeTypes),
    priority: z.enum(noticePriorities).default('normal'),
    is_active: z.boolean().default(true),
    display_from: z.iso.datetime({ offset: true }).nullable().default(null),
    display_until: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict()
  .refine(
    (b) => !b.display_from || !b.display_until || Date.parse(b.display_from) < Date.parse(b.display_until),
    {
      message: 'must be after display_from',
      path: ['display_until'],
    },
  );

const dto = (n: NoticeRow): z.infer<typeof noticeSchema> => ({
  id: n.id,
  title: n.title,
  content: n.content,
  notice_type: n.noticeType,
  priority: n.priority,
  is_active: n.isActive,
  display_from: iso(n.displayFrom),
  display_until: iso(n.displayUntil),
  created_by: n.createdBy,
  created_at: n.createdAt.toISOString(),
  updated_at: n.updatedAt.toISOString(),
});

function inputOf(b: z.infer<typeof noticeBody>): NoticeInput {
  return {
    title: b.title,
    content: b.content,
    noticeType: b.notice_type,
    priority: b.priority,
    isActive: b.is_active,
    displayFrom: b.display_from ? new Date(b.display_from) : null,
    displayUntil: b.display_until ? new Date(b.display_until) : null,
  };
}

/** Seed 004 `system_notifications`: `/notify/notices/active` for everyone, the rest for admins. */
export function noticesRoutes(db: Database, now: () => Date = () => new Date()): FastifyPluginAsyncZod {
  return async function notifyNoticesPlugin(app) {
    app.get(
      '/notices/active',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['notify'],
          summary: 'System notices to show now (maintenance, updates), most important first',
          response: { 200: z.object({ items: z.array(noticeSchema.omit({ created_by: true })) }) },
        },
      },
      async () => ({
        // Who wrote a notice is for admins; everyone else gets the notice itself.
        items: (await activeNotices(db, now())).map((n) => {
          const { created_by: _, ...shown } = dto(n);
          return shown;
        }),
      }),
    );

    app.get(
      '/notices',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Every system notice, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.object({ items: z.array(noticeSchema) }) },
        },
      },
      async (request) => ({ items: (await listNotices(db, request.query.limit)).map(dto) }),
    );

    app.post(
      '/notices',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Publish a system notice',
          body: noticeBody,
          response: { 201: noticeSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(dto(await insertNotice(db, inputOf(request.body), callerOf(request).userId))),
    );

    app.put(
      '/notices/:id',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Replace a system notice',
          params: idParams,
          body: noticeBody,
          response: { 200: noticeSchema },
        },
      },
      async (request) => {
        const row = await updateNotice(db, request.params.id, inputOf(request.body));
        if (!row) throw new KeelError('not_found', 'no such notice');
        return dto(row);
      },
    );

    app.delete(
      '/notices/:id',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Delete a system notice',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!(await deleteNotice(db, request.params.id))) throw new KeelError('not_found', 'no such notice');
        return reply.code(204).send(null);
      },
    );
  };
}
