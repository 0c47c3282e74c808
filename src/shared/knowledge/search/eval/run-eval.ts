import type { Database } from '../../../../kernel/db/index.js';
import { isKeelError } from '../../../../kernel/errors/index.js';
import { vacuumSearchIndex, vectorSupport } from '../indexer.js';
import { createSearch, DEFAULT_BM25, DEFAULT_WEIGHTS } from '../search.service.js';
import type { SearchType } from '../search.types.js';
import { addDocuments, createBase } from '../testing/seed.js';
import type { BeirCollection } from './beir.js';
import { mean, mrrAt, ndcgAt, percentile, recallAt } from './metrics.js';
import { ReferenceBm25 } from './reference-bm25.js';

export type EvalMethod = 'bm25' | 'vector' | 'hybrid';
export const EVAL_METHODS: readonly EvalMethod[] = ['bm25', 'vector', 'hybrid'];

/** The metric names of DESIGN.md §7 (`--json` keys). */
export interface Scores {
  'ndcg@10': number;
  'recall@100': number;
  'mrr@10': number;
}

export interface MethodReport extends Scores {
  p50_ms: number;
  p95_ms: number;
  queries: number;
  /** Queries the method refused (e.g. only stop words for bm25): they score 0. */
  refused: number;
}

export interface EvalReport {
  collection: { documents: number; queries: number; chunks: number; split?: string };
  index: { seconds: number; vector: 'hnsw' | 'exact' | 'off' };
  bm25: { k1: number; b: number };
  weights: { text: number; vector: number };
  /** keel's methods and `reference_bm25`, the in-memory Lucene-formula BM25. */
  methods: Record<string, MethodReport>;
  /** The same metrics per query set (`metadata.set` in queries.jsonl), when there are several. */
  sets: Record<string, Record<string, MethodReport>>;
}

export interface EvalOptions {
  /** An empty, migrated database: the collection becomes one knowledge base in it. */
  db: Database;
  collection: BeirCollection;
  methods: readonly EvalMethod[];
  embed(text: string): Float32Array;
  bm25?: { k1: number; b: number };
  weights?: { text: number; vector: number };
  limitQueries?: number;
  /** Vector scopes up to this size are scanned exactly (the search service's default: 500). */
  exactVectorScope?: number;
  progress?(line: string): void;
}

const TOP_K = 100;
const BATCH = 500;
const WARM_UP = 10;

/**
 * Indexes a BEIR collection with Keel's own indexer (one chunk per corpus document, title and
 * text), runs every query through the search service for each method, and scores the rankings
 * against the qrels. The reference BM25 runs over the same texts and tokenizer in memory.
 */
export async function runSearchEval(options: EvalOptions): Promise<EvalReport> {
  const { db, collection } = options;
  const bm25 = options.bm25 ?? DEFAULT_BM25;
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const progress = options.progress ?? (() => undefined);
  const exactVectorScope = options.exactVectorScope ?? 500;
  const queries = collection.queries.slice(0, options.limitQueries ?? collection.queries.length);
  const wantsVector = options.methods.some((m) => m !== 'bm25');
  const vector = await vectorSupport(db);
  if (wantsVector && !vector.available) {
    throw new Error('vector and hybrid need pgvector in the evaluation database');
  }

  // Index: the HNSW graph is built once after loading, not grown row by row (much slower).
  const started = performance.now();
  const baseId = await createBase(db, { name: 'beir' });
  const corpusIdOf = new Map<string, string>();
  const useHnsw = wantsVector && collection.corpus.length > exactVectorScope;
  const [hnsw] = useHnsw
    ? await db.query<{ def: string }>(
        `select pg_get_indexdef('knowledge.chunk_embeddings_hnsw_idx'::regclass) as def`,
      )
    : [];
  if (hnsw) await db.exec('drop index knowledge.chunk_embeddings_hnsw_idx');
  for (let start = 0; start < collection.corpus.length; start += BATCH) {
    const batch = collection.corpus.slice(start, start + BATCH);
    const seeded = await db.transaction((tx) =>
      addDocuments(
        tx,
        baseId,
        batch.map((doc) => ({ filename: doc.id, chunks: [joinTitle(doc)] })),
        wantsVector ? { embed: options.embed } : {},
      ),
    );
    for (const [i, doc] of seeded.entries())
      corpusIdOf.set(doc.chunkIds[0] as string, batch[i]?.id as string);
    progress(`indexed ${Math.min(start + BATCH, collection.corpus.length)} / ${collection.corpus.length}`);
  }
  if (hnsw) {
    progress('building the HNSW index…');
    if (db.kind === 'pglite') await db.exec(`set maintenance_work_mem = '1GB'`);
    await db.exec(hnsw.def);
  }
  await vacuumSearchIndex(db);
  const indexSeconds = (performance.now() - started) / 1000;

  const search = createSearch({ db, embedQuery: async (text) => options.embed(text), exactVectorScope });
  /** Per method, per query: the corpus ids ranked (null when the method refused the query), and ms. */
  const rankings: Record<string, { ranking: Array<string[] | null>; ms: number[] }> = {};
  for (const method of options.methods) {
    const type: SearchType = method === 'bm25' ? 'text' : method;
    const run = async (query: string) => {
      try {
        const result = await search.search({
          query,
          knowledgeBaseIds: [baseId],
          type,
          topK: TOP_K,
          ...(type === 'text' ? { bm25 } : {}),
          ...(type === 'hybrid' ? { bm25, weights } : {}),
        });
        return result.hits.map((h) => corpusIdOf.get(h.chunkId) as string);
      } catch (error) {
        if (isKeelError(error) && error.code === 'validation_failed') return null;
        throw error;
      }
    };
    for (const query of queries.slice(0, WARM_UP)) await run(query.text);
    const out = { ranking: [] as Array<string[] | null>, ms: [] as number[] };
    for (const query of queries) {
      const t0 = performance.now();
      out.ranking.push(await run(query.text));
      out.ms.push(performance.now() - t0);
    }
    rankings[method] = out;
    progress(`${method}: ${queries.length} queries`);
  }

  const reference = new ReferenceBm25(bm25);
  for (const doc of collection.corpus) reference.add(doc.id, joinTitle(doc));
  const ref = { ranking: [] as Array<string[] | null>, ms: [] as number[] };
  for (const query of queries) {
    const t0 = performance.now();
    ref.ranking.push(reference.search(query.text, TOP_K).map((h) => h.id));
    ref.ms.push(performance.now() - t0);
  }
  rankings.reference_bm25 = ref;

  const score = (which: number[]): Record<string, MethodReport> =>
    Object.fromEntries(
      Object.entries(rankings).map(([name, r]) => {
        const per = which.map((i) => {
          const judged = collection.qrels.get((queries[i] as { id: string }).id) ?? new Map();
          const ranking = r.ranking[i] ?? [];
          return {
            ndcg: ndcgAt(ranking, judged, 10),
            recall: recallAt(ranking, judged, 100),
            mrr: mrrAt(ranking, judged, 10),
          };
        });
        const ms = which.map((i) => r.ms[i] as number);
        return [
          name,
          {
            'ndcg@10': round(mean(per.map((p) => p.ndcg))),
            'recall@100': round(mean(per.map((p) => p.recall))),
            'mrr@10': round(mean(per.map((p) => p.mrr))),
            p50_ms: round(percentile(ms, 0.5), 2),
            p95_ms: round(percentile(ms, 0.95), 2),
            queries: which.length,
            refused: which.filter((i) => r.ranking[i] === null).length,
          },
        ];
      }),
    );
  const all = queries.map((_, i) => i);
  const setNames = [...new Set(queries.map((q) => q.set).filter((s): s is string => s !== undefined))];
  const sets =
    setNames.length > 1
      ? Object.fromEntries(setNames.map((set) => [set, score(all.filter((i) => queries[i]?.set === set))]))
      : {};
  return {
    collection: { documents: collection.corpus.length, queries: queries.length, chunks: corpusIdOf.size },
    index: { seconds: round(indexSeconds, 1), vector: !wantsVector ? 'off' : useHnsw ? 'hnsw' : 'exact' },
    bm25,
    weights,
    methods: score(all),
    sets,
  };
}

function joinTitle(doc: { title: string; text: string }): string {
  return doc.title ? `${doc.title}\n${doc.text}` : doc.text;
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const LABELS: Record<string, string> = {
  bm25: 'bm25 (keel)',
  reference_bm25: 'bm25 (reference)',
  vector: 'vector',
  hybrid: 'hybrid',
};

/** The report as a table for people. */
export function formatReport(report: EvalReport, source: string): string {
  const head = `${'method'.padEnd(18)}${'nDCG@10'.padStart(9)}${'Recall@100'.padStart(12)}${'MRR@10'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}`;
  const row = (name: string, m: MethodReport) =>
    `${(LABELS[name] ?? name).padEnd(18)}${m['ndcg@10'].toFixed(3).padStart(9)}${m['recall@100'].toFixed(3).padStart(12)}${m['mrr@10'].toFixed(3).padStart(9)}${m.p50_ms.toFixed(1).padStart(9)}${m.p95_ms.toFixed(1).padStart(9)}${m.refused ? `  (${m.refused} refused)` : ''}`;
  const order = (methods: Record<string, MethodReport>) =>
    ['bm25', 'reference_bm25', 'vector', 'hybrid']
      .filter((n) => methods[n])
      .map((n) => row(n, methods[n] as MethodReport));
  const lines = [
    `collection: ${source} — ${report.collection.documents} documents, ${report.collection.queries} judged queries`,
    `index: ${report.collection.chunks} chunks in ${report.index.seconds} s; vector search: ${report.index.vector}; bm25 k1=${report.bm25.k1} b=${report.bm25.b}; hybrid weights text=${report.weights.text} vector=${report.weights.vector}`,
    '',
    head,
    ...order(report.methods),
  ];
  for (const [set, methods] of Object.entries(report.sets)) {
    const count = Object.values(methods)[0]?.queries ?? 0;
    lines.push('', `query set "${set}" (${count} queries)`, head, ...order(methods));
  }
  return `${lines.join('\n')}\n`;
}
