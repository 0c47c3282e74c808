import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { embedText } from '../../llm/embeddings/offline/index.js';
import { ReferenceBm25 } from './eval/reference-bm25.js';
import { RRF_K } from './fusion.js';
import { vectorSearchAvailable } from './indexer.js';
import { createSearch, type SearchService } from './search.service.js';
import type { SearchRequest } from './search.types.js';
import { addDocuments, createBase, softDeleteDocument } from './testing/seed.js';

const embed = (text: string) => embedText(text);

describe.each(testDatabases)('search ($kind)', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  let search: SearchService;
  let vectors: boolean;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    search = createSearch({ db, embedQuery: async (text) => embed(text) });
    vectors = await vectorSearchAvailable(db);
  });
  afterAll(async () => {
    await drop?.();
  });

  async function base(documents: Parameters<typeof addDocuments>[2]) {
    const id = await createBase(db);
    const seeded = await db.transaction((tx) => addDocuments(tx, id, documents, { embed }));
    return { id, seeded };
  }

  const ask = (request: Partial<SearchRequest> & Pick<SearchRequest, 'query' | 'knowledgeBaseIds'>) =>
    search.search({ type: 'text', topK: 10, ...request });

  it('scores by BM25 (k1 = 0.9, b = 0.4), as worked out by hand and by the reference implementation', async () => {
    const texts = ['the quick brown fox jumps over the lazy dog', 'quick quick fox', 'a lazy afternoon'];
    const { id, seeded } = await base(texts.map((t) => ({ chunks: [t] })));
    const result = await ask({ query: 'quick fox', knowledgeBaseIds: [id] });

    // N = 3, avgdl = (7 + 3 + 2) / 3 = 4; "quick" and "fox" are each in 2 chunks.
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const part = (tf: number, dl: number) => (tf * 1.9) / (tf + 0.9 * (1 - 0.4 + (0.4 * dl) / 4));
    const expected = [
      { chunkId: seeded[1]?.chunkIds[0], score: idf * (part(2, 3) + part(1, 3)) },
      { chunkId: seeded[0]?.chunkIds[0], score: idf * (part(1, 7) + part(1, 7)) },
    ];
    expect(result.hits.map((h) => h.chunkId)).toEqual(expected.map((e) => e.chunkId));
    for (const [i, hit] of result.hits.entries()) {
      expect(hit.score).toBeCloseTo(expected[i]?.score as number, 10);
      expect(hit.ranks).toEqual({ text: i + 1 });
    }

    const reference = new ReferenceBm25({ k1: 0.9, b: 0.4 });
    for (const [i, text] of texts.entries()) reference.add(String(i), text);
    const ref = reference.search('quick fox', 10);
    expect(ref.map((r) => r.score)).toEqual(result.hits.map((h) => expect.closeTo(h.score, 10)));

    // Other parameters change the arithmetic the same way in both.
    const tuned = await ask({ query: 'lazy dog', knowledgeBaseIds: [id], bm25: { k1: 1.2, b: 0.75 } });
    const refTuned = new ReferenceBm25({ k1: 1.2, b: 0.75 });
    for (const [i, text] of texts.entries()) refTuned.add(String(i), text);
    expect(tuned.hits.map((h) => h.score)).toEqual(
      refTuned.search('lazy dog', 10).map((r) => expect.closeTo(r.score, 10)),
    );
  });

  it('takes N, df and avgdl from the bases searched, not from other bases', async () => {
    const shared = 'postgres vacuum reclaims dead tuples';
    const a = await base([{ chunks: [shared] }, { chunks: ['vacuum cleaner review'] }]);
    const b = await base([
      { chunks: [shared] },
      { chunks: ['unrelated text about gardens'] },
      { chunks: ['more unrelated words here today'] },
    ]);
    const expectScore = async (bases: string[], texts: string[]) => {
      const reference = new ReferenceBm25();
      for (const [i, text] of texts.entries()) reference.add(String(i), text);
      const result = await ask({ query: 'vacuum', knowledgeBaseIds: bases });
      expect(result.hits[0]?.score).toBeCloseTo(reference.search('vacuum', 1)[0]?.score as number, 10);
    };
    await expectScore([a.id], [shared, 'vacuum cleaner review']);
    await expectScore([b.id], [shared, 'unrelated text about gardens', 'more unrelated words here today']);
    await expectScore(
      [a.id, b.id],
      [
        shared,
        'vacuum cleaner review',
        shared,
        'unrelated text about gardens',
        'more unrelated words here today',
      ],
    );
  });

  it("never returns another base's chunks, whatever the method", async () => {
    const mine = await base([{ chunks: ['invoice totals for march'] }]);
    const theirs = await base([{ chunks: ['invoice totals for march, invoice invoice'] }]);
    for (const type of ['text', 'vector', 'hybrid'] as const) {
      if (type === 'vector' && !vectors) continue;
      const result = await ask({ query: 'invoice totals', knowledgeBaseIds: [mine.id], type });
      expect(result.hits.map((h) => h.knowledgeBaseId)).toEqual([mine.id]);
      expect(result.hits.map((h) => h.chunkId)).not.toContain(theirs.seeded[0]?.chunkIds[0]);
    }
  });

  it('never shows a deleted document, even one whose index entries were left behind', async () => {
    const { id, seeded } = await base([
      { chunks: ['rotate the signing keys every month'] },
      { chunks: ['rotate the signing keys every week'] },
      { chunks: ['signing keys rotation checklist'] },
    ]);
    await db.transaction((tx) => softDeleteDocument(tx, seeded[0]?.documentId as string));
    // A deleted flag without unindexing (a bug elsewhere) must not leak either.
    await db.query('update knowledge.documents set deleted_at = now() where id = $1', [
      seeded[1]?.documentId,
    ]);
    for (const type of ['text', 'vector', 'hybrid'] as const) {
      if (type === 'vector' && !vectors) continue;
      const result = await ask({ query: 'rotate signing keys', knowledgeBaseIds: [id], type });
      expect(result.hits.map((h) => h.documentId)).toEqual([seeded[2]?.documentId]);
    }
  });

  it('filters by document, type and creation date before ranking, so top-k stays full', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `backup retention policy backup backup ${i}`);
    const { id, seeded } = await base([
      { chunks: many, mimeType: 'application/pdf', createdAt: new Date('2026-01-10T00:00:00Z') },
      {
        chunks: ['backup schedule', 'the backup window', 'restore from backup', 'backup', 'offsite backup'],
        mimeType: 'text/markdown',
        createdAt: new Date('2026-03-05T00:00:00Z'),
      },
    ]);
    const markdown = seeded[1]?.documentId as string;
    for (const type of ['text', 'vector', 'hybrid'] as const) {
      if (type === 'vector' && !vectors) continue;
      const byDocument = await ask({
        query: 'backup',
        knowledgeBaseIds: [id],
        type,
        topK: 5,
        filters: { documentIds: [markdown] },
      });
      expect(byDocument.hits.map((h) => h.documentId)).toEqual(Array(5).fill(markdown));
      const byType = await ask({
        query: 'backup',
        knowledgeBaseIds: [id],
        type,
        topK: 5,
        filters: { mimeTypes: ['text/markdown'] },
      });
      expect(new Set(byType.hits.map((h) => h.mimeType))).toEqual(new Set(['text/markdown']));
      expect(byType.hits).toHaveLength(5);
      const byDate = await ask({
        query: 'backup',
        knowledgeBaseIds: [id],
        type,
        topK: 5,
        filters: {
          createdFrom: new Date('2026-03-01T00:00:00Z'),
          createdTo: new Date('2026-04-01T00:00:00Z'),
        },
      });
      expect(byDate.hits.map((h) => h.documentId)).toEqual(Array(5).fill(markdown));
      const none = await ask({
        query: 'backup',
        knowledgeBaseIds: [id],
        type,
        filters: { createdTo: new Date('2026-01-01T00:00:00Z') },
      });
      expect(none.hits).toEqual([]);
    }
  });

  it('matches Korean through bigrams and highlights the matched syllables', async () => {
    const { id, seeded } = await base([
      { chunks: ['서버 CPU 사용량이 높습니다. 디스크 사용량은 정상입니다.'] },
      { chunks: ['메모리 부족 경고가 발생했습니다'] },
    ]);
    const result = await ask({ query: '사용량', knowledgeBaseIds: [id] });
    expect(result.hits.map((h) => h.chunkId)).toEqual([seeded[0]?.chunkIds[0]]);
    expect(result.hits[0]?.snippet).toBe(
      '서버 CPU <mark>사용량</mark>이 높습니다. 디스크 <mark>사용량</mark>은 정상입니다.',
    );
  });

  it('returns every field of a hit, with an HTML-escaped snippet', async () => {
    const { id, seeded } = await base([
      {
        filename: 'notes.html',
        mimeType: 'text/html',
        chunks: [
          { text: 'Never paste <script>alert("x")</script> into the running server', location: { line: 4 } },
        ],
      },
    ]);
    const result = await ask({ query: 'runs scripts', knowledgeBaseIds: [id] });
    expect(result).toMatchObject({ type: 'text', vectorAvailable: vectors });
    expect(result.tookMs).toBeGreaterThan(0);
    expect(result.hits).toEqual([
      {
        chunkId: seeded[0]?.chunkIds[0],
        documentId: seeded[0]?.documentId,
        knowledgeBaseId: id,
        filename: 'notes.html',
        mimeType: 'text/html',
        kind: 'text',
        location: { line: 4 },
        text: 'Never paste <script>alert("x")</script> into the running server',
        snippet:
          'Never paste &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; into the <mark>running</mark> server',
        score: expect.any(Number),
        ranks: { text: 1 },
      },
    ]);
  });

  it('refuses a query without searchable words, and malformed requests', async () => {
    const id = await createBase(db);
    const failure = async (request: Partial<SearchRequest>) => {
      const error = await search
        .search({ query: 'x', knowledgeBaseIds: [id], type: 'text', topK: 10, ...request })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeelError);
      return error as KeelError;
    };
    const empty = await failure({ query: '   ' });
    expect(empty.code).toBe('validation_failed');
    expect(empty.message).toMatch(/^query: /);
    expect(empty.details?.errors).toEqual([{ field: 'query', message: 'must not be empty' }]);
    const stopWords = await failure({ query: 'the, and of it!' });
    expect(stopWords.details?.errors).toEqual([
      { field: 'query', message: expect.stringMatching(/searchable/) },
    ]);
    expect((await failure({ topK: 0 })).details?.errors).toEqual([
      { field: 'topK', message: expect.any(String) },
    ]);
    expect((await failure({ knowledgeBaseIds: [] })).details?.errors?.[0]?.field).toBe('knowledgeBaseIds');
    expect((await failure({ bm25: { k1: -1, b: 2 } })).details?.errors?.map((e) => e.field)).toEqual([
      'bm25.k1',
      'bm25.b',
    ]);
  });

  it('fuses text and vector rankings by Reciprocal Rank Fusion (k = 60)', async (ctx) => {
    if (!vectors) ctx.skip('no pgvector here: see the "without pgvector" test');
    const { id } = await base([
      { chunks: ['database connection pool exhausted under load'] },
      { chunks: ['the connection pool of the database'] },
      { chunks: ['pool party invitation'] },
      { chunks: ['database migrations and connection settings'] },
    ]);
    const query = 'database connection pool';
    const text = await ask({ query, knowledgeBaseIds: [id], type: 'text', topK: 50 });
    const vector = await ask({ query, knowledgeBaseIds: [id], type: 'vector', topK: 50 });
    const hybrid = await ask({
      query,
      knowledgeBaseIds: [id],
      type: 'hybrid',
      topK: 50,
      weights: { text: 2, vector: 1 },
    });
    const rankOf = (hits: typeof text.hits, chunkId: string) => {
      const i = hits.findIndex((h) => h.chunkId === chunkId);
      return i < 0 ? undefined : i + 1;
    };
    for (const hit of hybrid.hits) {
      const ranks = { text: rankOf(text.hits, hit.chunkId), vector: rankOf(vector.hits, hit.chunkId) };
      expect(hit.ranks).toEqual(Object.fromEntries(Object.entries(ranks).filter(([, r]) => r !== undefined)));
      const expected =
        (ranks.text ? 2 / (RRF_K + ranks.text) : 0) + (ranks.vector ? 1 / (RRF_K + ranks.vector) : 0);
      expect(hit.score).toBeCloseTo(expected, 12);
    }
    const scores = hybrid.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(hybrid.vectorAvailable).toBe(true);
    expect(vector.hits[0]?.score).toBeLessThanOrEqual(1);
  });

  it('without pgvector: vector search is unavailable and hybrid answers from text alone', async (ctx) => {
    if (vectors) ctx.skip('pgvector is installed here');
    const { id } = await base([{ chunks: ['alpha beta'] }, { chunks: ['beta gamma'] }]);
    const error = await ask({ query: 'beta', knowledgeBaseIds: [id], type: 'vector' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('unavailable');
    expect((error as KeelError).message).toMatch(/pgvector/);
    const text = await ask({ query: 'beta gamma', knowledgeBaseIds: [id], type: 'text' });
    const hybrid = await ask({ query: 'beta gamma', knowledgeBaseIds: [id], type: 'hybrid' });
    expect(hybrid.vectorAvailable).toBe(false);
    expect(hybrid.hits.map((h) => [h.chunkId, h.ranks])).toEqual(
      text.hits.map((h, i) => [h.chunkId, { text: i + 1 }]),
    );
    expect(hybrid.hits[0]?.score).toBeCloseTo(1 / (RRF_K + 1), 12);
  });
});
