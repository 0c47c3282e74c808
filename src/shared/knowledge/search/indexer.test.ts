import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import type { Database } from '../../../kernel/db/index.js';
import { embedText } from '../../llm/embeddings/offline/index.js';
import {
  chunkTerms,
  indexChunks,
  storeEmbeddings,
  unindexDocument,
  vacuumSearchIndex,
  vectorSearchAvailable,
} from './indexer.js';
import { addDocuments, createBase, softDeleteDocument } from './testing/seed.js';

describe('chunkTerms', () => {
  it('counts terms after tokenizing and leaves out terms longer than the column', () => {
    const long = 'x'.repeat(65);
    const { termCount, frequencies } = chunkTerms(`Servers running; the server ran ${long}`);
    expect(termCount).toBe(5);
    expect(Object.fromEntries(frequencies)).toEqual({ server: 2, run: 1, ran: 1 });
  });
});

describe.each(testDatabases)('indexer ($kind)', (target) => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
  });
  afterAll(async () => {
    await drop?.();
  });

  const baseStats = async (id: string) => {
    const [row] = await db.query<{ chunk_count: number; total_terms: number }>(
      'select chunk_count, total_terms::int as total_terms from knowledge.knowledge_bases where id = $1',
      [id],
    );
    return row;
  };

  it('writes postings, term counts and the base counters; indexing twice changes nothing', async () => {
    const base = await createBase(db);
    const [doc] = await db.transaction((tx) =>
      addDocuments(tx, base, [{ chunks: ['Servers running, servers failing', '!!! ...', 'Korean 서버를'] }]),
    );
    const chunkIds = doc?.chunkIds as string[];
    const postings = await db.query<{ term: string; chunk_id: string; tf: number; term_count: number }>(
      'select term, chunk_id, tf, term_count from knowledge.postings where knowledge_base_id = $1 order by chunk_id, term',
      [base],
    );
    const first = postings.filter((p) => p.chunk_id === chunkIds[0]);
    expect(first.map((p) => [p.term, p.tf, p.term_count])).toEqual([
      ['fail', 1, 4],
      ['run', 1, 4],
      ['server', 2, 4],
    ]);
    expect(postings.filter((p) => p.chunk_id === chunkIds[1])).toEqual([]);
    expect(postings.filter((p) => p.chunk_id === chunkIds[2]).map((p) => p.term)).toEqual([
      'korean',
      '버를',
      '서버',
    ]);
    const lengths = await db.query<{ id: string; term_count: number }>(
      'select id, term_count from knowledge.chunks where id = any($1::uuid[])',
      [chunkIds],
    );
    expect(Object.fromEntries(lengths.map((r) => [r.id, r.term_count]))).toEqual({
      [chunkIds[0] as string]: 4,
      [chunkIds[1] as string]: 0,
      [chunkIds[2] as string]: 3,
    });
    // The punctuation-only chunk has no terms: not in N.
    expect(await baseStats(base)).toEqual({ chunk_count: 2, total_terms: 7 });

    const texts = ['Servers running, servers failing', '!!! ...', 'Korean 서버를'];
    await db.transaction((tx) =>
      indexChunks(
        tx,
        chunkIds.map((id, i) => ({ id, knowledgeBaseId: base, text: texts[i] as string })),
      ),
    );
    expect(await baseStats(base)).toEqual({ chunk_count: 2, total_terms: 7 });
    // Embedded PGlite gets its VACUUM from here; a server's autovacuum does it (a no-op there).
    await vacuumSearchIndex(db);
  });

  it('unindexes a document once: postings, embeddings and counters; restore indexes it again', async () => {
    const base = await createBase(db);
    const vectors = await vectorSearchAvailable(db);
    const [kept, removed] = await db.transaction((tx) =>
      addDocuments(
        tx,
        base,
        [{ chunks: ['alpha beta gamma'] }, { chunks: ['alpha delta', 'epsilon zeta eta theta'] }],
        { embed: (t) => embedText(t) },
      ),
    );
    expect(await baseStats(base)).toEqual({ chunk_count: 3, total_terms: 9 });

    await db.transaction((tx) => softDeleteDocument(tx, removed?.documentId as string));
    await db.transaction((tx) => unindexDocument(tx, removed?.documentId as string));
    expect(await baseStats(base)).toEqual({ chunk_count: 1, total_terms: 3 });
    const [left] = await db.query<{ n: number }>(
      'select count(*)::int as n from knowledge.postings where chunk_id = any($1::uuid[])',
      [removed?.chunkIds],
    );
    expect(left?.n).toBe(0);
    if (vectors) {
      const embedded = await db.query<{ chunk_id: string }>(
        'select chunk_id from knowledge.chunk_embeddings where knowledge_base_id = $1',
        [base],
      );
      expect(embedded.map((r) => r.chunk_id)).toEqual(kept?.chunkIds);
    }

    await db.transaction((tx) =>
      indexChunks(tx, [
        { id: removed?.chunkIds[0] as string, knowledgeBaseId: base, text: 'alpha delta' },
        { id: removed?.chunkIds[1] as string, knowledgeBaseId: base, text: 'epsilon zeta eta theta' },
      ]),
    );
    expect(await baseStats(base)).toEqual({ chunk_count: 3, total_terms: 9 });
  });

  it('stores embeddings where pgvector is, and is a no-op elsewhere', async () => {
    const base = await createBase(db);
    const [doc] = await db.transaction((tx) => addDocuments(tx, base, [{ chunks: ['one', 'two'] }]));
    const rows = (doc?.chunkIds ?? []).map((chunkId, i) => ({
      chunkId,
      knowledgeBaseId: base,
      embedding: i === 0 ? embedText('one') : new Float32Array(1536), // a zero vector is skipped
    }));
    await db.transaction((tx) => storeEmbeddings(tx, rows));
    const [table] = await db.query<{ present: boolean }>(
      "select to_regclass('knowledge.chunk_embeddings') is not null as present",
    );
    expect(await vectorSearchAvailable(db)).toBe(table?.present);
    if (table?.present) {
      const stored = await db.query<{ chunk_id: string; similarity: number }>(
        `select chunk_id, 1 - (embedding <=> $2::vector) as similarity
         from knowledge.chunk_embeddings where knowledge_base_id = $1`,
        [base, `[${Array.from(embedText('one')).join(',')}]`],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]?.chunk_id).toBe(doc?.chunkIds[0]);
      expect(stored[0]?.similarity).toBeCloseTo(1, 5);
    }
    await expect(
      db.transaction((tx) =>
        storeEmbeddings(tx, [
          { chunkId: randomUUID(), knowledgeBaseId: base, embedding: new Float32Array(512) },
        ]),
      ),
    ).rejects.toThrow(RangeError);
  });
});
