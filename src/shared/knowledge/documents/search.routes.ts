import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { KnowledgeBases } from '../bases/bases.service.js';
import { callerOf } from '../bases/caller.js';
import type { Embed } from '../ingest/embed.js';
import { actions } from '../knowledge.http.js';
import { locationSchema } from './documents.schemas.js';
import { locationLabel } from './export.js';
import type { SearchPort } from './search-port.js';

const searchTypes = ['text', 'vector', 'hybrid'] as const;

export const searchBody = z
  .object({
    query: z.string().trim().min(1).max(1000),
    search_type: z
      .enum(searchTypes)
      .default('hybrid')
      .describe('text: BM25; vector: embeddings; hybrid: both, fused'),
    top_k: z.number().int().min(1).max(100).default(10),
    knowledge_base_ids: z
      .array(z.uuid())
      .min(1)
      .max(100)
      .optional()
      .describe('default: every base you can read'),
    document_ids: z.array(z.uuid()).min(1).max(1000).optional(),
    mime_types: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
    created_from: z.iso.datetime({ offset: true }).optional(),
    created_to: z.iso.datetime({ offset: true }).optional().describe('exclusive'),
    weights: z
      .object({ text: z.number().min(0).max(100), vector: z.number().min(0).max(100) })
      .strict()
      .optional()
      .describe('hybrid: weight of each ranking in the fusion (default 1 and 1)'),
    bm25: z
      .object({ k1: z.number().min(0).max(10), b: z.number().min(0).max(1) })
      .strict()
      .optional()
      .describe('default k1 = 0.9, b = 0.4'),
  })
  .strict()
  .refine((b) => !b.created_from || !b.created_to || Date.parse(b.created_from) < Date.parse(b.created_to), {
    message: 'must be after created_from',
    path: ['created_to'],
  });

const hitSchema = z.object({
  chunk_id: z.uuid(),
  document_id: z.uuid(),
  knowledge_base_id: z.uuid(),
  filename: z.string(),
  mime_type: z.string(),
  kind: z.enum(['text', 'table', 'image-caption']),
  location: locationSchema,
  label: z.string().describe('the location as a citation: "page 12", "Sheet2!A1:D40"'),
  text: z.string(),
  snippet: z.string().describe('the best passage, query terms in <mark>…</mark>, HTML-escaped'),
  score: z.number(),
  ranks: z.object({ text: z.number().int().optional(), vector: z.number().int().optional() }),
});

export const searchResponse = z.object({
  hits: z.array(hitSchema),
  search_type: z.enum(searchTypes),
  vector_available: z.boolean().describe('false: no pgvector here, so hybrid answers from text alone'),
  took_ms: z.number(),
});

/** The search service's field names, as this route's body spells them. */
const bodyField: Record<string, string> = {
  query: 'body.query',
  type: 'body.search_type',
  topK: 'body.top_k',
  knowledgeBaseIds: 'body.knowledge_base_ids',
  'filters.documentIds': 'body.document_ids',
  'filters.mimeTypes': 'body.mime_types',
  'filters.createdFrom': 'body.created_from',
  'filters.createdTo': 'body.created_to',
  weights: 'body.weights',
  'bm25.k1': 'body.bm25.k1',
  'bm25.b': 'body.bm25.b',
};

function inBodyTerms(error: unknown): unknown {
  if (!(error instanceof KeelError) || error.code !== 'validation_failed' || !error.details?.errors)
    return error;
  const errors = error.details.errors.map((e) => ({ ...e, field: bodyField[e.field] ?? `body.${e.field}` }));
  return new KeelError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    details: { ...error.details, errors },
    cause: error,
  });
}

/** `POST /api/documents/search`: BM25, vector or hybrid over the bases the caller may read. */
export function searchRoutes(deps: {
  db: Database;
  bases: KnowledgeBases;
  search: SearchPort;
  embed: Embed;
}): FastifyPluginAsyncZod {
  const { db, bases, search, embed } = deps;
  return async function knowledgeSearchPlugin(app) {
    app.post(
      '/documents/search',
      {
        config: { action: actions.search },
        schema: {
          tags: ['knowledge'],
          summary: 'Search documents: BM25 text, vector or hybrid, with filters; hits cite their location',
          body: searchBody,
          response: { 200: searchResponse },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const b = request.body;
        let baseIds: string[];
        if (b.knowledge_base_ids) {
          baseIds = [...new Set(b.knowledge_base_ids)];
          for (const id of baseIds) await bases.authorize(caller, id, 'read');
        } else {
          baseIds = await bases.readableIds(caller);
        }
        if (baseIds.length === 0) {
          return {
            hits: [],
            search_type: b.search_type,
            vector_available: await search.vectorSearchAvailable(db),
            took_ms: 0,
          };
        }
        const searcher = search.createSearch({
          db,
          async embedQuery(text) {
            const result = await embed({
              texts: [text],
              space: 'text',
              caller: { userId: caller.userId, orgId: caller.orgId, planKey: null },
            });
            return result.vectors[0] as Float32Array;
          },
        });
        const result = await searcher
          .search({
            query: b.query,
            knowledgeBaseIds: baseIds,
            type: b.search_type,
            topK: b.top_k,
            filters: {
              documentIds: b.document_ids,
              mimeTypes: b.mime_types,
              createdFrom: b.created_from ? new Date(b.created_from) : undefined,
              createdTo: b.created_to ? new Date(b.created_to) : undefined,
            },
            weights: b.weights,
            bm25: b.bm25,
          })
          .catch((error: unknown) => {
            throw inBodyTerms(error);
          });
        return {
          hits: result.hits.map((hit) => ({
            chunk_id: hit.chunkId,
            document_id: hit.documentId,
            knowledge_base_id: hit.knowledgeBaseId,
            filename: hit.filename,
            mime_type: hit.mimeType,
            kind: hit.kind,
            location: hit.location,
            label: locationLabel(hit.location),
            text: hit.text,
            snippet: hit.snippet,
            score: hit.score,
            ranks: hit.ranks,
          })),
          search_type: result.type,
          vector_available: result.vectorAvailable,
          took_ms: result.tookMs,
        };
      },
    );
  };
}
