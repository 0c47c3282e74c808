import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import type { ChunkToIndex } from './search.types.js';
import { tokenize } from './tokenize/index.js';

/**
 * Writes the search indexes of chunks already stored in `knowledge.chunks`: BM25 postings with
 * their base's counters, and embeddings where pgvector exists. Every function takes the caller's
 * transaction, so a document's chunks, postings and counters commit or roll back together.
 *
 * The postings are the truth about what is indexed: a chunk counts in its base's `chunk_count`
 * (BM25's N) and `total_terms` (N × average length) exactly when it has postings. Hence both
 * directions are idempotent: indexing an indexed chunk, or unindexing an unindexed document,
 * changes nothing.
 */

/** `knowledge.postings.term` is varchar(64): longer terms (hashes, URLs) are not indexed. */
export const MAX_TERM_LENGTH = 64;
/** The embedding space of `knowledge.chunk_embeddings` (llm's text space). */
export const EMBEDDING_DIMS = 1536;

/** `tf` is a smallint. */
const MAX_TF = 32_767;
/** Postings per INSERT: arrays travel as one parameter each. */
const POSTINGS_PER_STATEMENT = 20_000;
/** Embeddings per INSERT (~17 KB of text each). */
const EMBEDDINGS_PER_STATEMENT = 200;

/** A chunk's terms: how often each occurs, and its length in terms (BM25's document length). */
export interface ChunkTerms {
  termCount: number;
  frequencies: Map<string, number>;
}

export function chunkTerms(text: string): ChunkTerms {
  const terms = tokenize(text);
  const frequencies = new Map<string, number>();
  for (const term of terms) {
    if (!fitsColumn(term)) continue;
    frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  }
  return { termCount: terms.length, frequencies };
}

function fitsColumn(term: string): boolean {
  return term.length <= MAX_TERM_LENGTH || [...term].length <= MAX_TERM_LENGTH;
}

/**
 * Tokenizes each chunk, writes its postings, sets `chunks.term_count` and adds the chunks to
 * their bases' `chunk_count` and `total_terms`. Chunks that already have postings are skipped
 * (a retried job, a restore of something never unindexed). A chunk without any term (only
 * punctuation) gets `term_count` but no postings and does not count in N.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await insertChunks(tx, chunks); // the documents side's own rows
 *   await indexChunks(tx, chunks.map((c) => ({ id: c.id, knowledgeBaseId: c.knowledgeBaseId, text: c.text })));
 * });
 */
export async function indexChunks(tx: SqlConnection, chunks: readonly ChunkToIndex[]): Promise<void> {
  if (chunks.length === 0) return;
  const indexed = await tx.query<{ chunk_id: string }>(
    'select distinct chunk_id from knowledge.postings where chunk_id = any($1::uuid[])',
    [chunks.map((c) => c.id)],
  );
  const skip = new Set(indexed.map((r) => r.chunk_id));

  const lengths = { id: [] as string[], terms: [] as number[] };
  const bases = new Map<string, { chunks: number; terms: number }>();
  const rows: Array<{ base: string; term: string; chunk: string; tf: number; length: number }> = [];
  for (const chunk of chunks) {
    if (skip.has(chunk.id)) continue;
    skip.add(chunk.id); // the same chunk twice in one call counts once
    const { termCount, frequencies } = chunkTerms(chunk.text);
    lengths.id.push(chunk.id);
    lengths.terms.push(termCount);
    if (frequencies.size === 0) continue;
    const base = bases.get(chunk.knowledgeBaseId) ?? { chunks: 0, terms: 0 };
    base.chunks += 1;
    base.terms += termCount;
    bases.set(chunk.knowledgeBaseId, base);
    for (const [term, tf] of frequencies) {
      rows.push({
        base: chunk.knowledgeBaseId,
        term,
        chunk: chunk.id,
        tf: Math.min(tf, MAX_TF),
        length: termCount,
      });
    }
  }
  if (lengths.id.length === 0) return;
  // In term order: a term's postings from this call land on neighbouring heap pages, so a query
  // reading them touches a few pages instead of one per posting (a document's chunks share words).
  rows.sort((x, y) => (x.term < y.term ? -1 : x.term > y.term ? 1 : x.chunk < y.chunk ? -1 : 1));
  for (let start = 0; start < rows.length; start += POSTINGS_PER_STATEMENT) {
    const batch = rows.slice(start, start + POSTINGS_PER_STATEMENT);
    await tx.query(
      `insert into knowledge.postings (knowledge_base_id, term, chunk_id, tf, term_count)
       select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::int2[], $5::int4[])`,
      [
        batch.map((r) => r.base),
        batch.map((r) => r.term),
        batch.map((r) => r.chunk),
        batch.map((r) => r.tf),
        batch.map((r) => r.length),
      ],
    );
  }

  await tx.query(
    `update knowledge.chunks as c set term_count = u.term_count
     from unnest($1::uuid[], $2::int4[]) as u(id, term_count)
     where c.id = u.id`,
    [lengths.id, lengths.terms],
  );
  if (bases.size > 0) {
    await tx.query(
      `update knowledge.knowledge_bases as b
       set chunk_count = b.chunk_count + u.chunks, total_terms = b.total_terms + u.terms
       from unnest($1::uuid[], $2::int4[], $3::int8[]) as u(id, chunks, terms)
       where b.id = u.id`,
      [[...bases.keys()], [...bases.values()].map((b) => b.chunks), [...bases.values()].map((b) => b.terms)],
    );
  }
}

/**
 * Removes the postings and embeddings of a document's chunks and takes them out of their base's
 * counters (soft delete: the document vanishes from search in the same transaction). The chunks
 * stay; restoring calls {@link indexChunks} (and {@link storeEmbeddings}) with them again.
 */
export async function unindexDocument(tx: SqlConnection, documentId: string): Promise<void> {
  await tx.query(
    `with gone as (
       delete from knowledge.postings as p
       using knowledge.chunks as c
       where c.document_id = $1 and p.chunk_id = c.id
       returning p.knowledge_base_id, p.chunk_id, p.term_count
     ),
     per_chunk as (select distinct knowledge_base_id, chunk_id, term_count from gone),
     per_base as (
       select knowledge_base_id, count(*) as chunks, sum(term_count) as terms
       from per_chunk group by knowledge_base_id
     )
     update knowledge.knowledge_bases as b
     set chunk_count = greatest(b.chunk_count - per_base.chunks, 0),
         total_terms = greatest(b.total_terms - per_base.terms, 0)
     from per_base
     where b.id = per_base.knowledge_base_id`,
    [documentId],
  );
  if (await hasEmbeddingsTable(tx)) {
    await tx.query(
      `delete from knowledge.chunk_embeddings as e
       using knowledge.chunks as c
       where c.document_id = $1 and e.chunk_id = c.id`,
      [documentId],
    );
  }
}

export interface EmbeddingRow {
  chunkId: string;
  knowledgeBaseId: string;
  /** 1536 dimensions (the base's text embedding space). */
  embedding: Float32Array;
}

/**
 * Stores (or replaces) chunk embeddings for vector search; does nothing where pgvector is
 * missing. A zero vector (a chunk without letters or digits) has no direction and is not stored.
 * Throws RangeError for another dimension or a non-finite value.
 */
export async function storeEmbeddings(tx: SqlConnection, rows: readonly EmbeddingRow[]): Promise<void> {
  const literals = rows.map((row) => vectorLiteral(row.embedding));
  if (rows.length === 0 || !(await hasEmbeddingsTable(tx))) return;
  for (let start = 0; start < rows.length; start += EMBEDDINGS_PER_STATEMENT) {
    const chunk = { id: [] as string[], base: [] as string[], vector: [] as string[] };
    for (let i = start; i < Math.min(rows.length, start + EMBEDDINGS_PER_STATEMENT); i++) {
      const literal = literals[i];
      if (literal === null || literal === undefined) continue;
      const row = rows[i] as EmbeddingRow;
      chunk.id.push(row.chunkId);
      chunk.base.push(row.knowledgeBaseId);
      chunk.vector.push(literal);
    }
    if (chunk.id.length === 0) continue;
    await tx.query(
      `insert into knowledge.chunk_embeddings (chunk_id, knowledge_base_id, embedding)
       select chunk_id, knowledge_base_id, embedding::vector
       from unnest($1::uuid[], $2::uuid[], $3::text[]) as r(chunk_id, knowledge_base_id, embedding)
       on conflict (chunk_id) do update
         set embedding = excluded.embedding, knowledge_base_id = excluded.knowledge_base_id`,
      [chunk.id, chunk.base, chunk.vector],
    );
  }
}

/** pgvector's text form `[0.1,0.2,…]`, or null for the zero vector. */
export function vectorLiteral(vector: Float32Array): string | null {
  if (vector.length !== EMBEDDING_DIMS) {
    throw new RangeError(`chunk embeddings have ${EMBEDDING_DIMS} dimensions, got ${vector.length}`);
  }
  const parts = new Array<string>(vector.length);
  let nonZero = false;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] as number;
    if (!Number.isFinite(x)) throw new RangeError('an embedding holds a non-finite value');
    if (x === 0) parts[i] = '0';
    else {
      parts[i] = x.toPrecision(9);
      nonZero = true;
    }
  }
  return nonZero ? `[${parts.join(',')}]` : null;
}

async function hasEmbeddingsTable(conn: SqlConnection): Promise<boolean> {
  const [row] = await conn.query<{ present: boolean }>(
    `select to_regclass('knowledge.chunk_embeddings') is not null as present`,
  );
  return row?.present === true;
}

export interface VectorSupport {
  available: boolean;
  /** pgvector ≥ 0.8: `hnsw.iterative_scan` exists, so filters cannot starve an HNSW scan. */
  iterativeScan: boolean;
}

const support = new WeakMap<SqlConnection, Promise<VectorSupport>>();

/**
 * Whether this database can run vector search: `knowledge.chunk_embeddings` exists (migration
 * 0001 creates it only where pgvector is installed). Asked once per Database (or connection) and
 * remembered; installing pgvector later takes a restart (and the migration run again).
 */
export async function vectorSearchAvailable(conn: SqlConnection): Promise<boolean> {
  return (await vectorSupport(conn)).available;
}

export function vectorSupport(conn: SqlConnection): Promise<VectorSupport> {
  let known = support.get(conn);
  if (!known) {
    known = conn
      .query<{ present: boolean; version: string | null }>(
        `select to_regclass('knowledge.chunk_embeddings') is not null as present,
                (select extversion from pg_extension where extname = 'vector') as version`,
      )
      .then(([row]) => ({
        available: row?.present === true && row.version !== null,
        iterativeScan: versionAtLeast(row?.version ?? null, 0, 8),
      }));
    // A failed check (the database was down) is asked again next time.
    known.catch(() => support.delete(conn));
    support.set(conn, known);
  }
  return known;
}

function versionAtLeast(version: string | null, major: number, minor: number): boolean {
  if (!version) return false;
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * Embedded PGlite runs no autovacuum: without VACUUM, every posting a query reads costs a visit
 * to its heap page (the visibility map stays empty) and the planner never gets statistics. Call
 * this after large ingests or on a schedule; on a PostgreSQL server autovacuum does it.
 */
export async function vacuumSearchIndex(db: Database): Promise<void> {
  if (db.kind !== 'pglite') return;
  const tables = ['knowledge.postings', 'knowledge.chunks', 'knowledge.documents'];
  if (await hasEmbeddingsTable(db)) tables.push('knowledge.chunk_embeddings');
  await db.exec(`vacuum (analyze) ${tables.join(', ')}`);
}
