import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Scope } from '../bases/bases.repository.js';
import { adjustDocumentCount } from '../bases/bases.repository.js';
import type { KnowledgeBases } from '../bases/bases.service.js';
import type { Access, Caller } from '../bases/caller.js';
import type { Page } from '../bases/keyset.js';
import { type Embed, embedAll } from '../ingest/embed.js';
import {
  type ChunkRow,
  chunkPage,
  chunkTexts,
  type DocumentFilters,
  type DocumentRow,
  findDocument,
  listDocuments,
  liveDuplicate,
  recordEvent,
  setDeleted,
} from './documents.repository.js';
import type { SearchPort } from './search-port.js';

/**
 * Reading and managing uploaded documents (seed 003 §4.7): list, detail with processing status,
 * chunks, export pages, soft delete and restore. Access is its base's: a document of a base the
 * caller may not read is a 404, like one that does not exist.
 *
 * @example
 * const page = await documents.list(caller, { status: 'completed' }, { limit: 20 });
 * await documents.remove(caller, id);   // out of search now, purged after KNOWLEDGE_PURGE_DAYS
 * await documents.restore(caller, id);  // back in search, from its stored chunks
 */
export interface KnowledgeDocuments {
  list(
    caller: Caller,
    filters: DocumentFilters,
    query: { limit: number; cursor?: string },
  ): Promise<Page<DocumentRow>>;
  /** Deleted documents too (with `deletedAt`), so they can be restored. */
  get(caller: Caller, id: string): Promise<DocumentRow>;
  chunks(
    caller: Caller,
    id: string,
    query: { limit: number; after: number },
  ): Promise<{ items: ChunkRow[]; next: number | null }>;
  /** The document and its chunks in order, a page at a time (for exports); completed documents only. */
  forExport(caller: Caller, id: string): Promise<{ doc: DocumentRow; pages: AsyncIterable<ChunkRow[]> }>;
  remove(caller: Caller, id: string): Promise<void>;
  /** Returns the document to its base and to search; 409 when the same content is there again. */
  restore(caller: Caller, id: string): Promise<DocumentRow>;
}

export function createKnowledgeDocuments(deps: {
  db: Database;
  bases: KnowledgeBases;
  search: SearchPort;
  embed: Embed;
  enqueue: (documentId: string) => Promise<void>;
}): KnowledgeDocuments {
  const { db, bases, search, embed, enqueue } = deps;

  /** The document if the caller holds `needed` on its base; 404 otherwise (403 when read-only). */
  async function authorized(
    who: Caller | Scope,
    id: string,
    needed: Exclude<Access, 'none'>,
    options: { deleted?: boolean; conn?: SqlConnection } = {},
  ): Promise<DocumentRow> {
    const conn = options.conn ?? db;
    const doc = await findDocument(conn, id, { lock: conn !== db });
    if (!doc || (doc.deletedAt && !options.deleted)) throw new KeelError('not_found', 'No such document.');
    try {
      await bases.authorize(who, doc.knowledgeBaseId, needed, conn);
    } catch (error) {
      if (error instanceof KeelError && error.code === 'not_found') {
        throw new KeelError('not_found', 'No such document.');
      }
      if (error instanceof KeelError && error.code === 'forbidden') {
        throw new KeelError(
          'forbidden',
          "You may read this document but not change its knowledge base's documents.",
        );
      }
      throw error;
    }
    return doc;
  }

  return {
    async list(caller, filters, query) {
      return listDocuments(db, await bases.scopeOf(caller), filters, query);
    },

    get: (caller, id) => authorized(caller, id, 'read', { deleted: true }),

    async chunks(caller, id, query) {
      await authorized(caller, id, 'read');
      const rows = await chunkPage(db, id, query.after, query.limit + 1);
      const items = rows.slice(0, query.limit);
      return { items, next: rows.length > query.limit ? (items.at(-1)?.ordinal ?? null) : null };
    },

    async forExport(caller, id) {
      const doc = await authorized(caller, id, 'read');
      if (doc.status !== 'completed') {
        throw new KeelError(
          'conflict',
          doc.status === 'failed'
            ? `The document could not be processed (${doc.failureReason ?? 'unknown reason'}); there is nothing to export.`
            : 'The document is still being processed; export it once its status is completed.',
          { details: { status: doc.status } },
        );
      }
      async function* pages(): AsyncGenerator<ChunkRow[]> {
        let after = -1;
        for (;;) {
          const page = await chunkPage(db, id, after, 500);
          if (page.length === 0) return;
          yield page;
          after = (page.at(-1) as ChunkRow).ordinal;
        }
      }
      return { doc, pages: pages() };
    },

    async remove(caller, id) {
      const scope = await bases.scopeOf(caller);
      await db.transaction(async (tx) => {
        const doc = await authorized(scope, id, 'write', { conn: tx });
        await search.unindexDocument(tx, id);
        await setDeleted(tx, id, true);
        await adjustDocumentCount(tx, doc.knowledgeBaseId, -1);
        await recordEvent(tx, id, 'deleted');
      });
    },

    async restore(caller, id) {
      const doc = await authorized(caller, id, 'write', { deleted: true });
      if (!doc.deletedAt) return doc;
      // Vectors are computed before the transaction (the embedder uses the database itself);
      // llm's cache answers for texts embedded before, so this costs lookups, not model calls.
      const texts = doc.status === 'completed' ? await chunkTexts(db, id) : [];
      const vectors =
        texts.length > 0 && (await search.vectorSearchAvailable(db))
          ? (
              await embedAll(
                embed,
                texts.map((t) => t.text),
                { userId: doc.ownerUserId, orgId: doc.orgId, planKey: null },
              )
            ).vectors
          : null;
      const scope = await bases.scopeOf(caller);
      await db.transaction(async (tx) => {
        const current = await authorized(scope, id, 'write', { deleted: true, conn: tx });
        if (!current.deletedAt) return;
        const duplicate = await liveDuplicate(tx, current.knowledgeBaseId, current.contentHash, id);
        if (duplicate) {
          throw new KeelError(
            'conflict',
            `The knowledge base holds this content again as "${duplicate.filename}" (document ${duplicate.id}); delete that one first.`,
            { details: { existing_document_id: duplicate.id, existing_filename: duplicate.filename } },
          );
        }
        await setDeleted(tx, id, false);
        await adjustDocumentCount(tx, current.knowledgeBaseId, 1);
        if (current.status === 'completed') {
          await search.indexChunks(
            tx,
            texts.map((t) => ({ id: t.id, knowledgeBaseId: current.knowledgeBaseId, text: t.text })),
          );
          if (vectors) {
            await search.storeEmbeddings(
              tx,
              texts.map((t, i) => ({
                chunkId: t.id,
                knowledgeBaseId: current.knowledgeBaseId,
                embedding: vectors[i] as Float32Array,
              })),
            );
          }
        }
        await recordEvent(tx, id, 'restored', { chunks: texts.length });
      });
      if (doc.status === 'pending' || doc.status === 'processing') await enqueue(id);
      return authorized(caller, id, 'read');
    },
  };
}
