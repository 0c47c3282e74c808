import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import type { Location } from '../extract/index.js';
import type { Ranked } from './fusion.js';
import type { SearchRequest } from './search.types.js';

/**
 * The search side's reads: BM25 over `knowledge.postings`, nearest neighbours over
 * `knowledge.chunk_embeddings`, and the hits' chunks and documents. Every statement is bounded by
 * the caller's knowledge base ids; another base's chunk is never a candidate.
 */

export type Filters = NonNullable<SearchRequest['filters']>;

export function hasFilters(filters: Filters | undefined): filters is Filters {
  return Boolean(
    filters &&
      ((filters.documentIds && filters.documentIds.length > 0) ||
        (filters.mimeTypes && filters.mimeTypes.length > 0) ||
        filters.createdFrom ||
        filters.createdTo),
  );
}

/** ` and …` conditions on `d` (knowledge.documents) for the filters; pushes their parameters. */
function filterSql(filters: Filters | undefined, params: unknown[]): string {
  if (!filters) return '';
  const parts: string[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  if (filters.documentIds && filters.documentIds.length > 0)
    parts.push(`d.id = any(${param(filters.documentIds, 'uuid[]')})`);
  if (filters.mimeTypes && filters.mimeTypes.length > 0)
    parts.push(`d.mime_type = any(${param(filters.mimeTypes, 'text[]')})`);
  if (filters.createdFrom) parts.push(`d.created_at >= ${param(filters.createdFrom, 'timestamptz')}`);
  if (filters.createdTo) parts.push(`d.created_at < ${param(filters.createdTo, 'timestamptz')}`);
  return parts.map((p) => ` and ${p}`).join('');
}

export interface Bm25Query {
  /** Distinct query terms and how often each occurs in the query. */
  terms: ReadonlyMap<string, number>;
  baseIds: readonly string[];
  k1: number;
  b: number;
  limit: number;
  filters?: Filters;
  /** Terms in at least this many postings may be pruned (default {@link PRUNE_MIN_DF}; Infinity: never). */
  pruneMinDf?: number;
  /** Told which pass answered: `pruned`, or `full` (also after a pruned pass that could not prove itself). */
  onPass?: (pass: 'pruned' | 'full') => void;
}

/** A query term's BM25 weight `qtf · idf` and the most it can add to a chunk's score. */
export interface TermWeight {
  term: string;
  df: number;
  weight: number;
  /** weight · (k1 + 1): the tf part tf·(k1+1)/(tf + k1·norm) never reaches k1 + 1. */
  bound: number;
}

/** Terms found in at least this many postings may be left out of the first pass (see {@link rankByBm25}). */
export const PRUNE_MIN_DF = 1_000;

/** N (indexed chunks), avgdl and each term's df over the bases. */
export async function termStatistics(
  conn: SqlConnection,
  baseIds: readonly string[],
  terms: readonly string[],
): Promise<{ n: number; avgdl: number; df: number[] }> {
  const [row] = await conn.query<{ n: number; total: number; df: number[] }>(
    `select coalesce(sum(chunk_count), 0)::float8 as n, coalesce(sum(total_terms), 0)::float8 as total,
            array(
              select (select count(*) from knowledge.postings as p
                      where p.knowledge_base_id = any($1::uuid[]) and p.term = t.term)::int
              from unnest($2::text[]) with ordinality as t(term, i) order by t.i
            ) as df
     from knowledge.knowledge_bases where id = any($1::uuid[])`,
    [baseIds, terms],
  );
  const n = Number(row?.n ?? 0);
  return { n, avgdl: n > 0 ? Number(row?.total ?? 0) / n : 1, df: (row?.df ?? []).map(Number) };
}

/**
 * BM25 (Robertson / Lucene): Σ over query terms t of
 * `qtf · ln(1 + (N − df + 0.5)/(df + 0.5)) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))`,
 * N and avgdl from the bases' `chunk_count` and `total_terms`, df counted from the same bases'
 * postings (through the primary key (knowledge_base_id, term, chunk_id), one range per term).
 *
 * Exact top `limit`, computed in one of two ways:
 * - full: every posting of every query term, summed per chunk;
 * - pruned (MaxScore, Turtle & Flood 1995), when some terms are common: a first pass sums only
 *   the rarer ("essential") terms' postings, keeps the best candidates, and adds the common terms'
 *   contributions to those by primary-key lookups. A chunk outside the candidates scores at most
 *   (the last candidate's partial score + the common terms' bounds); when the `limit`-th final
 *   score beats that, no chunk outside can enter and the answer is exact. Otherwise the full
 *   pass runs. Common words ("file", "use") then cost a few lookups instead of a sum over a large
 *   share of the collection.
 *
 * Without filters the ranking reads postings only (deleted documents have none; the caller still
 * checks the hits). With filters, chunks are joined to their documents before ranking, so the
 * limit counts only chunks that pass; N, df and avgdl stay those of the whole bases.
 */
export async function rankByBm25(conn: SqlConnection, query: Bm25Query): Promise<Ranked[]> {
  const names = [...query.terms.keys()];
  const stats = await termStatistics(conn, query.baseIds, names);
  const weights: TermWeight[] = [];
  for (const [i, term] of names.entries()) {
    const df = stats.df[i] ?? 0;
    if (df === 0) continue;
    const n = Math.max(stats.n, df);
    const weight = (query.terms.get(term) ?? 1) * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    weights.push({ term, df, weight, bound: weight * (query.k1 + 1) });
  }
  if (weights.length === 0) return [];
  const scoring = { ...query, avgdl: Math.max(stats.avgdl, 1e-9) };
  if (!hasFilters(query.filters)) {
    const { essential, common } = splitCommon(weights, query.pruneMinDf ?? PRUNE_MIN_DF);
    if (common.length > 0) {
      const pruned = await rankPruned(conn, scoring, essential, common);
      if (pruned) {
        query.onPass?.('pruned');
        return pruned;
      }
    }
  }
  query.onPass?.('full');
  return rankFull(conn, scoring, weights);
}

/**
 * The common terms worth leaving out of the first pass: frequent ones (df ≥ PRUNE_MIN_DF), lowest
 * bound first, while their bounds add up to at most a sixth of what the remaining terms can score.
 * A larger share prunes more often but fails its proof more often (then both passes run): on the
 * benchmark's corpus a sixth answered 70 % of queries pruned and cut the mean time by a quarter.
 */
export function splitCommon(
  weights: readonly TermWeight[],
  minDf: number = PRUNE_MIN_DF,
): { essential: TermWeight[]; common: TermWeight[] } {
  const byBound = [...weights].sort((x, y) => x.bound - y.bound);
  const total = byBound.reduce((sum, w) => sum + w.bound, 0);
  const common: TermWeight[] = [];
  let commonBound = 0;
  for (const w of byBound) {
    if (w.df < minDf || common.length + 1 >= byBound.length) break;
    if (commonBound + w.bound > (total - commonBound - w.bound) / 6) break;
    common.push(w);
    commonBound += w.bound;
  }
  return { essential: byBound.filter((w) => !common.includes(w)), common };
}

type Scoring = Bm25Query & { avgdl: number };

/** tf·(k1+1)/(tf + k1·(1 − b + b·dl/avgdl)) times `weight`, for posting `p` ($k1 = $4, $b = $5, $avgdl = $6). */
const termScore = (weight: string) =>
  `${weight} * p.tf * ($4::float8 + 1) / (p.tf + $4::float8 * (1 - $5::float8 + $5::float8 * p.term_count / $6::float8))`;

async function rankFull(
  conn: SqlConnection,
  query: Scoring,
  weights: readonly TermWeight[],
): Promise<Ranked[]> {
  const params: unknown[] = [
    weights.map((w) => w.term),
    weights.map((w) => w.weight),
    query.baseIds,
    query.k1,
    query.b,
    query.avgdl,
    query.limit,
  ];
  const filtered = hasFilters(query.filters);
  const where = filtered ? filterSql(query.filters, params) : '';
  const rows = await conn.query<{ chunk_id: string; score: number }>(
    `with scored as (
       select p.chunk_id, sum(${termScore('q.weight')}) as score
       from unnest($1::text[], $2::float8[]) as q(term, weight)
       join knowledge.postings as p on p.knowledge_base_id = any($3::uuid[]) and p.term = q.term
       group by p.chunk_id
     )
     ${
       filtered
         ? `select sc.chunk_id, sc.score from scored as sc
            join knowledge.chunks as c on c.id = sc.chunk_id
            join knowledge.documents as d on d.id = c.document_id
            where d.deleted_at is null${where}`
         : 'select sc.chunk_id, sc.score from scored as sc'
     }
     order by score desc, chunk_id
     limit $7`,
    params,
  );
  return rows.map((r) => ({ chunkId: r.chunk_id, score: Number(r.score) }));
}

/** Candidates kept from the first pass of {@link rankPruned}. */
const candidatesFor = (limit: number) => Math.max(limit * 8, 200);

/** The MaxScore pass; null when it cannot prove its answer exact. */
async function rankPruned(
  conn: SqlConnection,
  query: Scoring,
  essential: readonly TermWeight[],
  common: readonly TermWeight[],
): Promise<Ranked[] | null> {
  const candidates = candidatesFor(query.limit);
  const rows = await conn.query<{ chunk_id: string; score: number; kept: number; cutoff: number | null }>(
    `with first_pass as (
       select p.chunk_id, sum(${termScore('q.weight')}) as partial
       from unnest($1::text[], $2::float8[]) as q(term, weight)
       join knowledge.postings as p on p.knowledge_base_id = any($3::uuid[]) and p.term = q.term
       group by p.chunk_id
     ),
     top as materialized (
       select chunk_id, partial from first_pass order by partial desc, chunk_id limit $8
     ),
     scored as (
       select t.chunk_id, t.partial + coalesce((
         select sum(${termScore('r.weight')})
         from unnest($9::text[], $10::float8[]) as r(term, weight)
         join knowledge.postings as p
           on p.knowledge_base_id = any($3::uuid[]) and p.term = r.term and p.chunk_id = t.chunk_id
       ), 0) as score
       from top as t
     )
     select s.chunk_id, s.score, (select count(*) from top)::int as kept, (select min(partial) from top) as cutoff
     from scored as s
     order by s.score desc, s.chunk_id
     limit $7`,
    [
      essential.map((w) => w.term),
      essential.map((w) => w.weight),
      query.baseIds,
      query.k1,
      query.b,
      query.avgdl,
      query.limit,
      candidates,
      common.map((w) => w.term),
      common.map((w) => w.weight),
    ],
  );
  const commonBound = common.reduce((sum, w) => sum + w.bound, 0);
  const first = rows[0];
  // All chunks with an essential term were candidates: others hold common terms only.
  const cutoff = first && first.kept >= candidates ? Number(first.cutoff ?? 0) : 0;
  const last = rows[query.limit - 1];
  if (!last || !(Number(last.score) > cutoff + commonBound + 1e-9)) return null;
  return rows.map((r) => ({ chunkId: r.chunk_id, score: Number(r.score) }));
}

export interface VectorQuery {
  /** pgvector text form of the query embedding. */
  embedding: string;
  baseIds: readonly string[];
  limit: number;
  filters?: Filters;
  /** Compare with every vector in scope instead of walking the HNSW graph. */
  exact: boolean;
  /** pgvector ≥ 0.8: let the HNSW scan go on until enough rows pass the filters. */
  iterativeScan: boolean;
  efSearch: number;
}

/**
 * Nearest chunks by cosine similarity (score = 1 − cosine distance), among live documents of the
 * bases that pass the filters. Small scopes are compared exhaustively (exact, and cheaper than
 * walking a graph built over every base); larger ones go through the HNSW index, whose scan keeps
 * going (iterative scan) while rows fail the base and document filters, up to pgvector's
 * `hnsw.max_scan_tuples`.
 */
export async function rankByVector(db: Database, query: VectorQuery): Promise<Ranked[]> {
  const params: unknown[] = [query.embedding, query.baseIds, query.limit];
  const where = filterSql(query.filters, params);
  const live = `exists (
       select 1 from knowledge.chunks as c join knowledge.documents as d on d.id = c.document_id
       where c.id = e.chunk_id and d.deleted_at is null${where})`;
  const sql = query.exact
    ? // The CTE fences the distance off from the index: every vector in scope is compared.
      `with scope as materialized (
         select e.chunk_id, e.embedding <=> $1::vector as distance
         from knowledge.chunk_embeddings as e
         where e.knowledge_base_id = any($2::uuid[]) and ${live}
       )
       select chunk_id, 1 - distance as score from scope order by distance, chunk_id limit $3`
    : `with nearest as materialized (
         select e.chunk_id, e.embedding <=> $1::vector as distance
         from knowledge.chunk_embeddings as e
         where e.knowledge_base_id = any($2::uuid[]) and ${live}
         order by e.embedding <=> $1::vector
         limit $3
       )
       select chunk_id, 1 - distance as score from nearest order by distance, chunk_id`;
  const settings = query.exact
    ? []
    : [
        // Without statistics (embedded PGlite runs no autovacuum) the planner may prefer sorting
        // the whole scope; with sorts off, the HNSW scan is the plan left.
        'set local enable_sort = off',
        `set local hnsw.ef_search = ${Math.round(Math.min(1000, Math.max(1, query.efSearch)))}`,
        ...(query.iterativeScan ? ['set local hnsw.iterative_scan = relaxed_order'] : []),
      ];
  const rows =
    settings.length === 0
      ? await db.query<{ chunk_id: string; score: number }>(sql, params)
      : await db.transaction(async (tx) => {
          await tx.exec(`${settings.join('; ')};`);
          return tx.query<{ chunk_id: string; score: number }>(sql, params);
        });
  return rows.map((r) => ({ chunkId: r.chunk_id, score: Number(r.score) }));
}

/**
 * How many chunks a vector search would compare: those of `documentIds` when the filter names
 * documents, else the bases' indexed chunks. Counted up to `cap + 1`.
 */
export async function vectorScope(
  conn: SqlConnection,
  baseIds: readonly string[],
  documentIds: readonly string[] | undefined,
  cap: number,
): Promise<number> {
  const [row] =
    documentIds && documentIds.length > 0
      ? await conn.query<{ n: number }>(
          `select count(*)::int as n from (
             select 1 from knowledge.chunks
             where document_id = any($1::uuid[]) and knowledge_base_id = any($2::uuid[]) limit $3
           ) as scope`,
          [documentIds, baseIds, cap + 1],
        )
      : await conn.query<{ n: number }>(
          'select coalesce(sum(chunk_count), 0)::int as n from knowledge.knowledge_bases where id = any($1::uuid[])',
          [baseIds],
        );
  return row?.n ?? 0;
}

export interface HitRow {
  chunkId: string;
  documentId: string;
  knowledgeBaseId: string;
  filename: string;
  mimeType: string;
  kind: 'text' | 'table' | 'image-caption';
  location: Location;
  text: string;
}

/** The chunks of `chunkIds` that are still searchable: in one of the bases, document and base not deleted. */
export async function loadHits(
  conn: SqlConnection,
  chunkIds: readonly string[],
  baseIds: readonly string[],
): Promise<Map<string, HitRow>> {
  if (chunkIds.length === 0) return new Map();
  const rows = await conn.query<HitRow>(
    `select c.id as "chunkId", c.document_id as "documentId", c.knowledge_base_id as "knowledgeBaseId",
            d.filename, d.mime_type as "mimeType", c.kind, c.location, c.text
     from knowledge.chunks as c
     join knowledge.documents as d on d.id = c.document_id
     join knowledge.knowledge_bases as b on b.id = c.knowledge_base_id
     where c.id = any($1::uuid[]) and c.knowledge_base_id = any($2::uuid[])
       and d.deleted_at is null and b.deleted_at is null`,
    [chunkIds, baseIds],
  );
  return new Map(rows.map((r) => [r.chunkId, r]));
}

/** Ids among `chunkIds` whose document and base are live (see {@link loadHits}). */
export async function liveChunkIds(
  conn: SqlConnection,
  chunkIds: readonly string[],
  baseIds: readonly string[],
): Promise<Set<string>> {
  if (chunkIds.length === 0) return new Set();
  const rows = await conn.query<{ id: string }>(
    `select c.id from knowledge.chunks as c
     join knowledge.documents as d on d.id = c.document_id
     join knowledge.knowledge_bases as b on b.id = c.knowledge_base_id
     where c.id = any($1::uuid[]) and c.knowledge_base_id = any($2::uuid[])
       and d.deleted_at is null and b.deleted_at is null`,
    [chunkIds, baseIds],
  );
  return new Set(rows.map((r) => r.id));
}
