export {
  chunkTerms,
  EMBEDDING_DIMS,
  type EmbeddingRow,
  indexChunks,
  MAX_TERM_LENGTH,
  storeEmbeddings,
  unindexDocument,
  vacuumSearchIndex,
  vectorSearchAvailable,
} from './indexer.js';
export {
  createSearch,
  DEFAULT_BM25,
  DEFAULT_WEIGHTS,
  type SearchDeps,
  type SearchService,
} from './search.service.js';
export type {
  ChunkToIndex,
  SearchHit,
  SearchRequest,
  SearchResult,
  SearchType,
} from './search.types.js';
export { highlight } from './snippet.js';
export { tokenize, tokenSpans } from './tokenize/index.js';
