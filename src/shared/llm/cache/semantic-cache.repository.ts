import type { Database, SqlConnection } from '../../../kernel/db/index.js';

/** The one file that reads or writes `llm.semantic_cache` (created by migration 0003 when pgvector exists). */

export interface CacheScope {
  tenant: string;
  feature: string;
  embeddingModel: string;
}

export interface NearestRow {
  id: string;
  /** Null unless `hit`. */
  response: string | null;
  response_meta: unknown;
  similarity: number;
  /** True when the row reached the threshold and its `hits` was bumped. */
  hit: boolean;
}

export interface InsertRow extends CacheScope {
  id: string;
  /** pgvector's text form, `[0.1,0.2,...]`. */
  embedding: string;
  promptHash: string;
  response: string;
  responseMeta: unknown;
  ttlSeconds: number;
}

/** Where the cache stands on this database. */
export interface CacheStatus {
  /** pgvector's version, or null when the extension is not installed. */
  vector: string | null;
  table: boolean;
}

export async function readStatus(conn: SqlConnection): Promise<CacheStatus> {
  const [row] = await conn.query<{ vector: string | null; present: boolean }>(
    `select (select extversion from pg_extension where extname = 'vector') as vector,
            to_regclass('llm.semantic_cache') is not null as present`,
  );
  return { vector: row?.vector ?? null, table: row?.present ?? false };
}

const scopeWhere = `tenant = $1 and feature = $2 and embedding_model = $3 and expires_at > now()`;

/**
 * Live rows of one scope, counted up to `limit` (a bounded index scan: the lookup only needs to
 * know whether the scope is small enough to scan).
 */
export async function countScope(db: Database, scope: CacheScope, limit: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from (
       select 1 from llm.semantic_cache where ${scopeWhere} limit $4
     ) as scope`,
    [scope.tenant, scope.feature, scope.embeddingModel, limit],
  );
  return row?.n ?? 0;
}

/**
 * The nearest live row of the scope, and — in the same statement — its `hits` bumped when it is
 * at least `$5` similar. `best` yields one `(id, distance)`; both variants read only rows
 * matching {@link scopeWhere}, so no other tenant's row can ever be a candidate. The response
 * is read for a hit only.
 */
function nearestSql(best: string): string {
  return `with best as materialized (${best}),
     bumped as (
       update llm.semantic_cache as c set hits = c.hits + 1
       from best where c.id = best.id and 1 - best.distance >= $5::float8
       returning c.id
     )
     select c.id, case when bumped.id is not null then c.response end as response,
            c.response_meta, 1 - best.distance as similarity, bumped.id is not null as hit
     from best
     join llm.semantic_cache as c on c.id = best.id
     left join bumped on bumped.id = best.id`;
}

/**
 * Scope scan: every live row of the scope (through `semantic_cache_scope_idx`) is ranked by the
 * Hamming distance of its sign bits, which sit in the row; only the `$6` best are compared by
 * cosine, so only their TOASTed vectors are read. Near neighbours (cosine ≥ 0.85, i.e. ≤ ~32°)
 * differ in far fewer signs than unrelated vectors, so they rank among the first few.
 */
const scopeScanSql = nearestSql(
  `select id, embedding <=> $4::vector as distance from (
     select id, embedding from llm.semantic_cache where ${scopeWhere}
     order by embedding_bits <~> binary_quantize($4::vector) limit $6
   ) as candidates
   order by distance limit 1`,
);

/**
 * Approximate search through the HNSW graph, filtered by the scope. The graph holds every
 * tenant's vectors, so the filter runs on what the graph yields: with iterative scans (pgvector
 * ≥ 0.8) the scan goes on until a row of the scope turns up.
 */
const hnswSql = nearestSql(
  `select id, embedding <=> $4::vector as distance
   from llm.semantic_cache where ${scopeWhere}
   order by embedding <=> $4::vector limit 1`,
);

export async function nearestByScan(
  db: Database,
  scope: CacheScope,
  embedding: string,
  threshold: number,
  candidates: number,
): Promise<NearestRow | null> {
  const [row] = await db.query<NearestRow>(scopeScanSql, [
    scope.tenant,
    scope.feature,
    scope.embeddingModel,
    embedding,
    threshold,
    candidates,
  ]);
  return row ?? null;
}

export async function nearestByHnsw(
  db: Database,
  scope: CacheScope,
  embedding: string,
  threshold: number,
  options: { iterativeScan: boolean },
): Promise<NearestRow | null> {
  return db.transaction(async (tx) => {
    // Sorting the scope would mean the scan this path exists to avoid; without a sort the only
    // plan left is the HNSW index scan (the planner may not know the scope is large: embedded
    // PGlite runs no autovacuum, hence gathers no statistics by itself).
    await tx.exec(
      `set local enable_sort = off;${options.iterativeScan ? ' set local hnsw.iterative_scan = relaxed_order;' : ''}`,
    );
    const [row] = await tx.query<NearestRow>(hnswSql, [
      scope.tenant,
      scope.feature,
      scope.embeddingModel,
      embedding,
      threshold,
    ]);
    return row ?? null;
  });
}

/** Inserts, or replaces the row of the same scope and prompt hash (expired or not); returns its id. */
export async function upsert(db: Database, row: InsertRow): Promise<string> {
  const [stored] = await db.query<{ id: string }>(
    `insert into llm.semantic_cache as c
       (id, feature, tenant, embedding_model, embedding, prompt_hash, response, response_meta, expires_at)
     values ($1, $2, $3, $4, $5::vector, $6, $7, $8::jsonb, now() + make_interval(secs => $9::float8))
     on conflict (tenant, feature, embedding_model, prompt_hash) do update set
       embedding = excluded.embedding, response = excluded.response,
       response_meta = excluded.response_meta, created_at = now(),
       expires_at = excluded.expires_at, hits = 0
     returning c.id`,
    [
      row.id,
      row.feature,
      row.tenant,
      row.embeddingModel,
      row.embedding,
      row.promptHash,
      row.response,
      JSON.stringify(row.responseMeta),
      row.ttlSeconds,
    ],
  );
  if (!stored) throw new Error('semantic cache insert returned no row');
  return stored.id;
}

/** Deletes up to `batch` expired rows; returns how many. */
export async function deleteExpired(db: Database, batch: number): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `delete from llm.semantic_cache where id in (
       select id from llm.semantic_cache where expires_at <= now() limit $1
     ) returning id`,
    [batch],
  );
  return rows.length;
}

/**
 * Embedded PGlite runs no autovacuum: dead rows (and their HNSW entries) would stay forever and
 * the planner would never get statistics. A PostgreSQL server does this itself.
 */
export async function vacuumEmbedded(db: Database): Promise<void> {
  if (db.kind === 'pglite') await db.exec('vacuum (analyze) llm.semantic_cache');
}

/** Every row of one tenant, e.g. when a user is erased or an org deleted; 0 when the table is absent. */
export async function deleteTenant(conn: SqlConnection, tenant: string): Promise<number> {
  const [present] = await conn.query<{ present: boolean }>(
    `select to_regclass('llm.semantic_cache') is not null as present`,
  );
  if (!present?.present) return 0;
  const rows = await conn.query<{ id: string }>(
    'delete from llm.semantic_cache where tenant = $1 returning id',
    [tenant],
  );
  return rows.length;
}
