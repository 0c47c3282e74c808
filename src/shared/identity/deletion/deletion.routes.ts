import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { idParams } from '../identity.schemas.js';
import type { DeletionRequest } from './deletion.service.js';

const statusSchema = z.enum(['pending', 'cancelled', 'processing', 'completed', 'failed']);
const requestSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  status: statusSchema,
  reason: z.string().nullable(),
  requested_at: z.iso.datetime(),
  execute_after: z.iso.datetime().describe('When the erasure runs, unless cancelled before'),
  completed_at: z.iso.datetime().nullable(),
  report: z.record(z.string(), z.record(z.string(), z.number())).describe('Rows erased per module and table'),
  error: z.string().nullable(),
});

function requestDto(r: DeletionRequest): z.infer<typeof requestSchema> {
  return {
    id: r.id,
    user_id: r.userId,
    status: r.status,
    reason: r.reason,
    requested_at: r.requestedAt.toISOString(),
    execute_after: r.executeAfter.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
    report: r.report,
    error: r.error,
  };
}

/** `/me/deletion`: ask for erasure, see it, cancel it during the grace period. */
export function myDeletionRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { deletion } = services;
  return async function myDeletionPlugin(app) {
    app.post(
      '/',
      {
        config: { action: 'deletion.request' },
        schema: {
          tags: ['me'],
          summary: 'Ask for your account and all your data to be erased after the grace period',
          body: z
            .object({ reason: z.string().trim().max(500).optional() })
            .strict()
            .nullish(),
          response: { 202: requestSchema },
        },
      },
      async (request, reply) => {
        const created = await deletion.request(principalOf(request).userId, request.body?.reason ?? null);
        return reply.code(202).send(requestDto(created));
      },
    );
    app.get(
      '/',
      {
        config: { action: 'me.read' },
        schema: { tags: ['me'], summary: 'Your latest deletion request', response: { 200: requestSchema } },
      },
      async (request) => {
        const latest = await deletion.latest(principalOf(request).userId);
        if (!latest) throw new KeelError('not_found', 'You have not asked for deletion.');
        return requestDto(latest);
      },
    );
    app.delete(
      '/',
      {
        config: { action: 'deletion.request' },
        schema: {
          tags: ['me'],
          summary: 'Cancel your pending deletion request',
          response: { 200: requestSchema },
        },
      },
      async (request) => requestDto(await deletion.cancel(principalOf(request).userId)),
    );
  };
}

/** `/deletion-requests`: the admin's view, and running one before its grace period ends. */
export function deletionAdminRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { deletion } = services;
  return async function deletionAdminPlugin(app) {
    app.get(
      '/',
      {
        config: { action: 'deletion.manage' },
        schema: {
          tags: ['users'],
          summary: 'Deletion requests, newest first',
          querystring: z.object({
            status: statusSchema.optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ items: z.array(requestSchema) }) },
        },
      },
      async (request) => ({ items: (await deletion.list(request.query)).map(requestDto) }),
    );
    app.post(
      '/:id/run',
      {
        config: { action: 'deletion.manage' },
        schema: {
          tags: ['users'],
          summary: 'Erase now (skipping the rest of the grace period), or retry a failed erasure',
          params: idParams,
          response: { 200: requestSchema },
        },
      },
      async (request) => requestDto(await deletion.run(request.params.id)),
    );
  };
}
