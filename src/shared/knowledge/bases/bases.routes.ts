import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actions, idParams, pageQuery } from '../knowledge.http.js';
import {
  baseDto,
  baseSchema,
  createBaseBody,
  putShareBody,
  shareDto,
  shareSchema,
  shareSubject,
  updateBaseBody,
} from './bases.schemas.js';
import type { KnowledgeBases } from './bases.service.js';
import { callerOf } from './caller.js';

const tags = ['knowledge'];

/** `/api/knowledge-bases`: CRUD and shares. */
export function basesRoutes(bases: KnowledgeBases): FastifyPluginAsyncZod {
  return async function knowledgeBasesPlugin(app) {
    app.post(
      '/knowledge-bases',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Create a knowledge base (an org base when you act in an org, else a personal one)',
          body: createBaseBody,
          response: { 201: baseSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const base = await bases.create(callerOf(request), {
          name: b.name,
          description: b.description,
          chunkStrategy: b.chunk_strategy,
          chunkSize: b.chunk_size,
          chunkOverlap: b.chunk_overlap,
        });
        return reply.code(201).send(baseDto(base));
      },
    );

    app.get(
      '/knowledge-bases',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'The knowledge bases you can read, newest first',
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(baseSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const page = await bases.list(callerOf(request), request.query);
        return { items: page.items.map(baseDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/knowledge-bases/:id',
      {
        config: { action: actions.read },
        schema: { tags, summary: 'One knowledge base', params: idParams, response: { 200: baseSchema } },
      },
      async (request) => baseDto(await bases.get(callerOf(request), request.params.id)),
    );

    app.patch(
      '/knowledge-bases/:id',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Change its name, description or chunking (applies to documents uploaded from now on)',
          params: idParams,
          body: updateBaseBody,
          response: { 200: baseSchema },
        },
      },
      async (request) => {
        const b = request.body;
        return baseDto(
          await bases.update(callerOf(request), request.params.id, {
            name: b.name,
            description: b.description,
            chunkStrategy: b.chunk_strategy,
            chunkSize: b.chunk_size,
            chunkOverlap: b.chunk_overlap,
          }),
        );
      },
    );

    app.delete(
      '/knowledge-bases/:id',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Delete the base and its documents (out of search at once, purged after the retention)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await bases.remove(callerOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/knowledge-bases/:id/shares',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: "The base's shares (its owner and org admins)",
          params: idParams,
          response: { 200: z.object({ items: z.array(shareSchema) }) },
        },
      },
      async (request) => ({
        items: (await bases.shares.list(callerOf(request), request.params.id)).map(shareDto),
      }),
    );

    app.put(
      '/knowledge-bases/:id/shares',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Share the base with a user or a team, to read or to write (or change the permission)',
          params: idParams,
          body: putShareBody,
          response: { 200: shareSchema, 201: shareSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { share, created } = await bases.shares.put(callerOf(request), request.params.id, {
          subjectKind: b.subject_kind,
          subjectId: b.subject_id,
          permission: b.permission,
        });
        return reply.code(created ? 201 : 200).send(shareDto(share));
      },
    );

    app.delete(
      '/knowledge-bases/:id/shares',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Stop sharing the base with a user or a team',
          params: idParams,
          querystring: z.object(shareSubject),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await bases.shares.remove(callerOf(request), request.params.id, {
          subjectKind: request.query.subject_kind,
          subjectId: request.query.subject_id,
        });
        return reply.code(204).send(null);
      },
    );
  };
}
