import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { idParams } from '../identity.schemas.js';
import { pageQuery, plainText } from '../orgs/listing.js';
import type { FeedbackView } from './feedback.service.js';

const feedbackType = z.enum(['bug', 'suggestion', 'complaint']);
const feedbackStatus = z.enum(['pending', 'resolved', 'closed']);
const maxSubject = 200;
const maxContent = 10_000;

const feedbackSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid().nullable().describe('The author; null once their account was erased'),
  type: feedbackType,
  subject: z.string().nullable(),
  content: z.string(),
  rating: z.number().int().min(1).max(5).nullable(),
  status: feedbackStatus,
  admin_response: z.string().nullable(),
  responded_by: z.uuid().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const pageSchema = z.object({ items: z.array(feedbackSchema), next_cursor: z.string().nullable() });

function feedbackDto(item: FeedbackView): z.infer<typeof feedbackSchema> {
  return {
    id: item.id,
    user_id: item.userId,
    type: item.type,
    subject: item.subject,
    content: item.content,
    rating: item.rating,
    status: item.status,
    admin_response: item.adminResponse,
    responded_by: item.respondedBy,
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
  };
}

/** `/feedback`: send feedback and read your own; feedback managers read everything and answer. */
export function feedbackRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { feedback } = services;
  return async function feedbackPlugin(app) {
    app.post(
      '/',
      {
        config: { action: 'feedback.create' },
        schema: {
          tags: ['feedback'],
          summary: 'Send a bug report, a suggestion or a complaint',
          body: z
            .object({
              type: feedbackType,
              subject: plainText(maxSubject).nullable().optional(),
              content: plainText(maxContent),
              rating: z.number().int().min(1).max(5).nullable().optional(),
            })
            .strict(),
          response: { 201: feedbackSchema },
        },
      },
      async (request, reply) => {
        const item = await feedback.create(principalOf(request).userId, request.body);
        return reply.code(201).send(feedbackDto(item));
      },
    );

    app.get(
      '/mine',
      {
        config: { action: 'feedback.create' },
        schema: {
          tags: ['feedback'],
          summary: 'Your feedback and its answers, newest first',
          querystring: pageQuery,
          response: { 200: pageSchema },
        },
      },
      async (request) => {
        const page = await feedback.list({ ...request.query, userId: principalOf(request).userId });
        return { items: page.items.map(feedbackDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/',
      {
        config: { action: 'feedback.manage' },
        schema: {
          tags: ['feedback'],
          summary: 'All feedback, newest first, by status and type',
          querystring: pageQuery.extend({ status: feedbackStatus.optional(), type: feedbackType.optional() }),
          response: { 200: pageSchema },
        },
      },
      async (request) => {
        const page = await feedback.list(request.query);
        return { items: page.items.map(feedbackDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        config: { action: 'feedback.manage' },
        schema: {
          tags: ['feedback'],
          summary: 'One feedback',
          params: idParams,
          response: { 200: feedbackSchema },
        },
      },
      async (request) => feedbackDto(await feedback.get(request.params.id)),
    );

    app.patch(
      '/:id',
      {
        config: { action: 'feedback.manage' },
        schema: {
          tags: ['feedback'],
          summary: 'Answer feedback and/or change its status (records you as the responder)',
          params: idParams,
          body: z
            .object({ status: feedbackStatus, admin_response: plainText(maxContent).nullable() })
            .partial()
            .strict()
            .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' }),
          response: { 200: feedbackSchema },
        },
      },
      async (request) => {
        const item = await feedback.respond(request.params.id, principalOf(request).userId, {
          status: request.body.status,
          adminResponse: request.body.admin_response,
        });
        return feedbackDto(item);
      },
    );
  };
}
