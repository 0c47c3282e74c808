import type { Location } from '../extract/index.js';

/**
 * The contract between knowledge's documents side (upload, ingest, routes) and its search side
 * (BM25 postings, vectors, fusion). Documents code calls the indexer inside its transactions and
 * the search service from its routes, with knowledge base ids the caller was already allowed.
 */

export type SearchType = 'text' | 'vector' | 'hybrid';

export interface SearchRequest {
  query: string;
  /** Bases the caller may read (the route resolved them); never empty. */
  knowledgeBaseIds: readonly string[];
  type: SearchType;
  /** 1–100. */
  topK: number;
  filters?: {
    documentIds?: readonly string[];
    /** Detected MIME types, e.g. `application/pdf`. */
    mimeTypes?: readonly string[];
    /** Documents created in [from, to). */
    createdFrom?: Date;
    createdTo?: Date;
  };
  /** Hybrid only: weights of each ranking in Reciprocal Rank Fusion (default 1 and 1). */
  weights?: { text: number; vector: number };
  /** BM25 parameters (default k1 = 0.9, b = 0.4, as Lucene and Anserini's BEIR baselines). */
  bm25?: { k1: number; b: number };
}

export interface SearchHit {
  chunkId: string;
  documentId: string;
  knowledgeBaseId: string;
  filename: string;
  mimeType: string;
  kind: 'text' | 'table' | 'image-caption';
  location: Location;
  text: string;
  /** The best passage of the chunk with query terms wrapped in `<mark>…</mark>` (HTML-escaped). */
  snippet: string;
  /** The method's score: BM25, cosine similarity, or the fused RRF score. */
  score: number;
  /** 1-based rank in each ranking that found the chunk. */
  ranks: { text?: number; vector?: number };
}

export interface SearchResult {
  hits: SearchHit[];
  type: SearchType;
  /** False when vector search is off (no pgvector): hybrid then answers from text alone. */
  vectorAvailable: boolean;
  tookMs: number;
}

/** A chunk as the indexer takes it (already stored in knowledge.chunks). */
export interface ChunkToIndex {
  id: string;
  knowledgeBaseId: string;
  text: string;
}
