import type { Database } from '../../../kernel/db/index.js';
import { type FieldError, KeelError } from '../../../kernel/errors/index.js';
import { isUuid } from '../../../kernel/ids.js';
import { type Fused, fuseRankings, type Ranked } from './fusion.js';
import { vectorLiteral, vectorSupport } from './indexer.js';
import {
  type Filters,
  hasFilters,
  liveChunkIds,
  loadHits,
  rankByBm25,
  rankByVector,
  vectorScope,
} from './search.repository.js';
import type { SearchHit, SearchRequest, SearchResult } from './search.types.js';
import { highlight } from './snippet.js';
import { tokenize } from './tokenize/index.js';

/** Lucene's and Anserini's BEIR defaults. */
export const DEFAULT_BM25 = { k1: 0.9, b: 0.4 } as const;
export const DEFAULT_WEIGHTS = { text: 1, vector: 1 } as const;
/** Candidates each ranking brings to hybrid fusion: max(topK × 4, 50). */
export function fusionCandidates(topK: number): number {
  return Math.max(topK * 4, 50);
}

export interface SearchDeps {
  db: Database;
  /** The query's embedding in the bases' space (1536 dimensions), e.g. through llm's `embed`. */
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * Vector scopes of at most this many chunks are compared exhaustively instead of through the
   * HNSW graph, which holds every base's vectors. Default 500: on PGlite each comparison reads a
   * 6 KB vector (~60 µs), so 500 cost about 30 ms.
   */
  exactVectorScope?: number;
  /**
   * HNSW candidate list (`hnsw.ef_search`), at least the number of results asked for. Default 40
   * (pgvector's): larger finds more of the true neighbours and costs proportionally more.
   */
  efSearch?: number;
}

export interface SearchService {
  /**
   * Ranks the chunks of `request.knowledgeBaseIds` for `request.query` — BM25 (`text`), cosine
   * similarity of embeddings (`vector`) or both fused (`hybrid`) — and returns the best `topK`
   * with their documents and highlighted snippets. Deleted documents never appear.
   *
   * Throws KeelError `validation_failed` (details.errors) for a bad request, e.g. a query without
   * any searchable word for text; `unavailable` for `vector` where pgvector is missing (hybrid
   * then answers from text, `vectorAvailable: false`).
   *
   * @example
   * const search = createSearch({ db, embedQuery: async (q) => (await llm.embed({ texts: [q], space: 'text', caller })).vectors[0] });
   * const { hits } = await search.search({ query: 'rotate signing keys', knowledgeBaseIds: [baseId], type: 'hybrid', topK: 10 });
   * hits[0]; // { filename: 'runbook.pdf', location: { page: 12 }, snippet: '…<mark>rotate</mark> the <mark>signing</mark> <mark>keys</mark>…', ranks: { text: 1, vector: 3 }, … }
   */
  search(request: SearchRequest): Promise<SearchResult>;
}

export function createSearch(deps: SearchDeps): SearchService {
  const { db, embedQuery } = deps;
  const exactVectorScope = deps.exactVectorScope ?? 500;
  const efSearch = deps.efSearch ?? 40;

  /** BM25 ranking of live chunks, `limit` long when there are enough. */
  async function textRanking(request: SearchRequest, terms: Map<string, number>, limit: number) {
    const bm25 = request.bm25 ?? DEFAULT_BM25;
    const base = { terms, baseIds: request.knowledgeBaseIds, k1: bm25.k1, b: bm25.b };
    if (hasFilters(request.filters)) {
      return rankByBm25(db, { ...base, limit, filters: request.filters });
    }
    // Deleted documents have no postings (unindexDocument), so this ranking reads postings alone;
    // the live check below is the guard, and asks for more in the rare case it removes some.
    for (let fetch = limit + 10; ; fetch *= 4) {
      const ranked = await rankByBm25(db, { ...base, limit: fetch });
      const live = await liveChunkIds(
        db,
        ranked.map((r) => r.chunkId),
        request.knowledgeBaseIds,
      );
      const kept = ranked.filter((r) => live.has(r.chunkId));
      if (kept.length >= limit || ranked.length < fetch) return kept.slice(0, limit);
    }
  }

  async function vectorRanking(request: SearchRequest, embedding: string, limit: number, iterative: boolean) {
    const scope = await vectorScope(
      db,
      request.knowledgeBaseIds,
      request.filters?.documentIds,
      exactVectorScope,
    );
    return rankByVector(db, {
      embedding,
      baseIds: request.knowledgeBaseIds,
      limit,
      filters: request.filters,
      exact: scope <= exactVectorScope,
      iterativeScan: iterative,
      efSearch: Math.max(efSearch, limit),
    });
  }

  return {
    async search(request) {
      const started = performance.now();
      const errors = validate(request);
      if (errors.length > 0) throw invalid(errors);
      const terms = new Map<string, number>();
      for (const term of tokenize(request.query)) terms.set(term, (terms.get(term) ?? 0) + 1);

      const vector = await vectorSupport(db);
      // Hybrid can answer a query of stop words ("what is it") from vectors alone; text cannot.
      if (terms.size === 0 && (request.type === 'text' || (request.type === 'hybrid' && !vector.available))) {
        throw invalid([
          {
            field: 'query',
            message: 'has no searchable words (only punctuation or common words such as "the")',
          },
        ]);
      }
      if (request.type === 'vector' && !vector.available) {
        throw new KeelError(
          'unavailable',
          'vector search needs pgvector, which this database does not have; use text search (hybrid falls back to it)',
        );
      }
      const useVector = request.type !== 'text' && vector.available;
      const embedding = useVector ? vectorLiteral(await embedQuery(request.query)) : null;
      if (embedding === null && (request.type === 'vector' || terms.size === 0)) {
        throw invalid([{ field: 'query', message: 'has nothing to embed (no letter or digit)' }]);
      }

      let ranked: Fused[];
      if (request.type === 'text') {
        ranked = toFused(await textRanking(request, terms, request.topK), 'text');
      } else if (request.type === 'vector') {
        ranked = toFused(
          await vectorRanking(request, embedding as string, request.topK, vector.iterativeScan),
          'vector',
        );
      } else {
        const candidates = fusionCandidates(request.topK);
        const text = terms.size === 0 ? [] : await textRanking(request, terms, candidates);
        const nearest =
          embedding === null ? [] : await vectorRanking(request, embedding, candidates, vector.iterativeScan);
        ranked = fuseRankings(text, nearest, request.weights ?? DEFAULT_WEIGHTS);
      }

      const top = ranked.slice(0, request.topK);
      const rows = await loadHits(
        db,
        top.map((r) => r.chunkId),
        request.knowledgeBaseIds,
      );
      const hits: SearchHit[] = [];
      for (const entry of top) {
        const row = rows.get(entry.chunkId);
        if (!row) continue; // deleted meanwhile
        hits.push({
          ...row,
          snippet: highlight(row.text, new Set(terms.keys())),
          score: entry.score,
          ranks: entry.ranks,
        });
      }
      return {
        hits,
        type: request.type,
        vectorAvailable: vector.available,
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      };
    },
  };
}

function toFused(ranking: readonly Ranked[], method: 'text' | 'vector'): Fused[] {
  return ranking.map((r, i) => ({ chunkId: r.chunkId, score: r.score, ranks: { [method]: i + 1 } }));
}

function invalid(errors: FieldError[]): KeelError {
  return new KeelError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    details: { errors },
  });
}

const TYPES = new Set(['text', 'vector', 'hybrid']);
const MAX_QUERY_LENGTH = 2_000;

/** The request's shape (routes validate too; this guards other callers). */
function validate(request: SearchRequest): FieldError[] {
  const errors: FieldError[] = [];
  const query = typeof request.query === 'string' ? request.query : '';
  if (query.trim() === '') errors.push({ field: 'query', message: 'must not be empty' });
  else if (query.length > MAX_QUERY_LENGTH)
    errors.push({ field: 'query', message: `must be at most ${MAX_QUERY_LENGTH} characters` });
  if (!TYPES.has(request.type)) errors.push({ field: 'type', message: 'must be text, vector or hybrid' });
  if (!Number.isInteger(request.topK) || request.topK < 1 || request.topK > 100)
    errors.push({ field: 'topK', message: 'must be an integer from 1 to 100' });
  const bases = request.knowledgeBaseIds;
  if (!Array.isArray(bases) || bases.length === 0)
    errors.push({ field: 'knowledgeBaseIds', message: 'must name at least one knowledge base' });
  else if (!bases.every((id) => typeof id === 'string' && isUuid(id)))
    errors.push({ field: 'knowledgeBaseIds', message: 'must be uuids' });
  const filters: Filters | undefined = request.filters;
  if (filters?.documentIds && !filters.documentIds.every((id) => typeof id === 'string' && isUuid(id)))
    errors.push({ field: 'filters.documentIds', message: 'must be uuids' });
  for (const key of ['createdFrom', 'createdTo'] as const) {
    const value = filters?.[key];
    if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime())))
      errors.push({ field: `filters.${key}`, message: 'must be a valid date' });
  }
  if (request.bm25) {
    const { k1, b } = request.bm25;
    if (!(Number.isFinite(k1) && k1 >= 0 && k1 <= 10))
      errors.push({ field: 'bm25.k1', message: 'must be a number from 0 to 10' });
    if (!(Number.isFinite(b) && b >= 0 && b <= 1))
      errors.push({ field: 'bm25.b', message: 'must be a number from 0 to 1' });
  }
  if (request.weights) {
    const { text, vector } = request.weights;
    const ok = (w: number) => Number.isFinite(w) && w >= 0 && w <= 100;
    if (!ok(text) || !ok(vector) || text + vector === 0)
      errors.push({ field: 'weights', message: 'must be numbers from 0 to 100, not both 0' });
  }
  return errors;
}
