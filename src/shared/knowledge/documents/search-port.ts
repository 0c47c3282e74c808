import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import {
  type ChunkToIndex,
  createSearch,
  type EmbeddingRow,
  indexChunks,
  type SearchRequest,
  type SearchResult,
  storeEmbeddings,
  unindexDocument,
  vectorSearchAvailable,
} from '../search/index.js';

/**
 * What the documents side (upload, ingest, delete/restore, the search route) needs from the
 * search side (`../search/`): one seam, so tests can wrap a call (a crash while indexing) and the
 * documents code names exactly what it uses. The index calls take the caller's transaction;
 * `indexChunks` / `unindexDocument` keep the base's `chunk_count` and `total_terms` (and each
 * chunk's `term_count`), the documents side keeps `document_count` and each document's
 * `chunk_count`.
 */
export interface SearchPort {
  indexChunks(tx: SqlConnection, chunks: readonly ChunkToIndex[]): Promise<void>;
  unindexDocument(tx: SqlConnection, documentId: string): Promise<void>;
  /** Upserts (a restore stores vectors again). */
  storeEmbeddings(tx: SqlConnection, rows: readonly EmbeddingRow[]): Promise<void>;
  vectorSearchAvailable(conn: SqlConnection): Promise<boolean>;
  createSearch(deps: { db: Database; embedQuery(text: string): Promise<Float32Array> }): {
    search(request: SearchRequest): Promise<SearchResult>;
  };
}

export type { EmbeddingRow };

export const searchPort: SearchPort = {
  indexChunks,
  unindexDocument,
  storeEmbeddings,
  vectorSearchAvailable,
  createSearch,
};
