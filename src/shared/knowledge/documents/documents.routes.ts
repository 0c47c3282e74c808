import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/index.js';
import { callerOf } from '../bases/caller.js';
import { actions, idParams, pageQuery } from '../knowledge.http.js';
import { findDocument } from './documents.repository.js';
import { chunkDto, chunkSchema, documentDto, documentSchema, documentStatuses } from './documents.schemas.js';
import type { KnowledgeDocuments } from './documents.service.js';
import {
  contentDisposition,
  exportContentTypes,
  exportDocument,
  exportFilename,
  exportFormats,
} from './export.js';

const tags = ['knowledge'];

/**
 * A streamed body for a route whose schema documents it as a string: Fastify pipes streams and
 * never runs the response serializer on them, so only the declared type needs convincing.
 */
const streamed = (stream: Readable) => stream as unknown as string;

const listQuery = pageQuery
  .extend({
    knowledge_base_id: z.uuid().optional(),
    status: z.enum(documentStatuses).optional(),
    mime_type: z.string().min(1).max(200).optional().describe('a detected type, e.g. application/pdf'),
    created_from: z.iso.datetime({ offset: true }).optional(),
    created_to: z.iso.datetime({ offset: true }).optional().describe('exclusive'),
    deleted: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('true: the trash (deleted, restorable until purged)'),
  })
  .refine((q) => !q.created_from || !q.created_to || Date.parse(q.created_from) < Date.parse(q.created_to), {
    message: 'must be after created_from',
    path: ['created_to'],
  });

export interface EventsOptions {
  /** How often the stream looks at the document. */
  pollMs?: number;
  /** The stream ends after this long even when the document is still processing. */
  maxMs?: number;
}

/** `/api/documents/...`: list, detail, chunks, export, progress events, delete, restore. */
export function documentsRoutes(
  db: Database,
  documents: KnowledgeDocuments,
  events: EventsOptions = {},
): FastifyPluginAsyncZod {
  const pollMs = events.pollMs ?? 500;
  const maxMs = events.maxMs ?? 15 * 60_000;

  return async function knowledgeDocumentsPlugin(app) {
    app.get(
      '/documents',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary:
            'Documents of the knowledge bases you can read, newest first, with their processing status',
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(documentSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await documents.list(
          callerOf(request),
          {
            knowledgeBaseId: q.knowledge_base_id,
            status: q.status,
            mimeType: q.mime_type,
            createdFrom: q.created_from ? new Date(q.created_from) : undefined,
            createdTo: q.created_to ? new Date(q.created_to) : undefined,
            deleted: q.deleted,
          },
          { limit: q.limit, cursor: q.cursor },
        );
        return { items: page.items.map(documentDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/documents/:id',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'One document with its processing status and progress',
          params: idParams,
          response: { 200: documentSchema },
        },
      },
      async (request) => documentDto(await documents.get(callerOf(request), request.params.id)),
    );

    app.get(
      '/documents/:id/chunks',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: "The document's chunks in order, with their locations",
          params: idParams,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            cursor: z.coerce.number().int().min(-1).default(-1).describe('next_cursor of the previous page'),
          }),
          response: {
            200: z.object({ items: z.array(chunkSchema), next_cursor: z.number().int().nullable() }),
          },
        },
      },
      async (request) => {
        const page = await documents.chunks(callerOf(request), request.params.id, {
          limit: request.query.limit,
          after: request.query.cursor,
        });
        return { items: page.items.map(chunkDto), next_cursor: page.next };
      },
    );

    app.get(
      '/documents/:id/export',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'The extracted chunks as a download: JSON, CSV, Markdown or plain text',
          params: idParams,
          querystring: z.object({ format: z.enum(exportFormats).default('json') }),
          produces: Object.values(exportContentTypes),
          response: { 200: z.string().describe('the file') },
        },
      },
      async (request, reply) => {
        const { format } = request.query;
        const { doc, pages } = await documents.forExport(callerOf(request), request.params.id);
        return reply
          .type(exportContentTypes[format])
          .header('content-disposition', contentDisposition(exportFilename(doc.filename, format)))
          .header('cache-control', 'no-store')
          .send(streamed(Readable.from(exportDocument(format, doc, pages))));
      },
    );

    app.get(
      '/documents/:id/events',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary:
            'Processing progress as Server-Sent Events (`status` events with status and progress) until it completes or fails',
          params: idParams,
          produces: ['text/event-stream'],
          response: { 200: z.string().describe('text/event-stream') },
        },
      },
      async (request, reply) => {
        const first = await documents.get(callerOf(request), request.params.id);
        const id = first.id;
        async function* stream(): AsyncGenerator<string> {
          yield `retry: ${Math.max(1000, pollMs * 2)}\n\n`;
          let last = '';
          const deadline = Date.now() + maxMs;
          for (;;) {
            const doc = await findDocument(db, id);
            if (!doc || doc.deletedAt) {
              yield `event: deleted\ndata: ${JSON.stringify({ id })}\n\n`;
              return;
            }
            const data = JSON.stringify({
              id,
              status: doc.status,
              progress: doc.progress,
              chunk_count: doc.chunkCount,
              failure_code: doc.failureCode,
              failure_reason: doc.failureReason,
            });
            if (data !== last) {
              yield `event: status\ndata: ${data}\n\n`;
              last = data;
            }
            if (doc.status === 'completed' || doc.status === 'failed' || Date.now() > deadline) return;
            await sleep(pollMs);
          }
        }
        return reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-accel-buffering', 'no')
          .send(streamed(Readable.from(stream())));
      },
    );

    app.delete(
      '/documents/:id',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Move the document to the trash: out of lists and search at once, restorable until purged',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await documents.remove(callerOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/documents/:id/restore',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Bring a deleted document back (into lists and search, from its stored chunks)',
          params: idParams,
          response: { 200: documentSchema },
        },
      },
      async (request) => documentDto(await documents.restore(callerOf(request), request.params.id)),
    );
  };
}
