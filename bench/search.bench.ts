import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, migrate, openPglite, readMigrations } from '../src/kernel/db/index.js';
import { projectRoot } from '../src/kernel/paths.js';
import { allModules, migrationSources } from '../src/modules.js';
import { vacuumSearchIndex, vectorLiteral } from '../src/shared/knowledge/search/indexer.js';
import { rankByVector } from '../src/shared/knowledge/search/search.repository.js';
import { createSearch } from '../src/shared/knowledge/search/search.service.js';
import type { SearchType } from '../src/shared/knowledge/search/search.types.js';
import { addDocuments, createBase } from '../src/shared/knowledge/search/testing/seed.js';
import { embedText } from '../src/shared/llm/embeddings/offline/index.js';
import { type BenchResult, median } from './support.js';

/** KEEL_BENCH_SEARCH_CHUNKS: a smaller size while tuning. */
const CHUNKS = Number(process.env.KEEL_BENCH_SEARCH_CHUNKS ?? 100_000);
/**
 * Chunks with embeddings. Building the HNSW graph of 1536-d vectors on PGlite costs ~9 ms a vector
 * at 20 000 and more per vector as the graph grows (~20+ minutes for 100 000), so by default the
 * vector and hybrid figures come from a 20 000-chunk base; set KEEL_BENCH_SEARCH_VECTOR_CHUNKS=100000
 * for the full size (about 40 minutes).
 */
const VECTOR_CHUNKS = Number(process.env.KEEL_BENCH_SEARCH_VECTOR_CHUNKS ?? 20_000);
const CHUNKS_PER_DOCUMENT = 50;
const QUERIES = 200;
const WARM_UP = 20;
const RECALL_SAMPLE = 20;
const FIXTURE = join(projectRoot, 'src', 'shared', 'knowledge', 'search', 'fixtures', 'manpages');

/** mulberry32: the same corpus on every run and machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function jsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Chunks of 30–90 words from a word-bigram (Markov) model of the fixture's English manual pages:
 * the vocabulary, word frequencies and local word order of technical documentation, so common
 * words ("file", "option") are as common as in real docs and BM25 meets realistic posting lists.
 */
export function manualLikeChunks(count: number, seed = 20261122): string[] {
  const followers = new Map<string, string[]>();
  const starts: string[] = [];
  for (const doc of jsonl(join(FIXTURE, 'corpus.jsonl'))) {
    if (String(doc._id).startsWith('ko/')) continue;
    const words = String(doc.text).split(/\s+/).filter(Boolean);
    if (words[0]) starts.push(words[0]);
    for (let i = 0; i + 1 < words.length; i++) {
      const word = words[i] as string;
      const list = followers.get(word) ?? [];
      list.push(words[i + 1] as string);
      followers.set(word, list);
    }
  }
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const chunks: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 30 + Math.floor(next() * 61);
    let word = pick(starts);
    const words = [word];
    while (words.length < length) {
      const list = followers.get(word);
      word = list && next() > 0.05 ? pick(list) : pick(starts);
      words.push(word);
    }
    chunks.push(words.join(' '));
  }
  return chunks;
}

/** Loads `texts` as documents of 50 chunks, each indexed in its own call as ingest does it. */
async function load(
  db: Database,
  baseId: string,
  texts: string[],
  embed: boolean,
  label: string,
): Promise<number> {
  const started = performance.now();
  const perTransaction = 10;
  for (let start = 0; start < texts.length; start += CHUNKS_PER_DOCUMENT * perTransaction) {
    await db.transaction(async (tx) => {
      for (let d = 0; d < perTransaction; d++) {
        const from = start + d * CHUNKS_PER_DOCUMENT;
        if (from >= texts.length) break;
        await addDocuments(tx, baseId, [{ chunks: texts.slice(from, from + CHUNKS_PER_DOCUMENT) }], {
          ...(embed ? { embed: (t: string) => embedText(t) } : {}),
        });
      }
    });
    const done = Math.min(texts.length, start + CHUNKS_PER_DOCUMENT * perTransaction);
    if (done % 10_000 === 0 || done === texts.length)
      process.stderr.write(`  ${label}: ${done} chunks loaded\n`);
  }
  return (performance.now() - started) / 1000;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/**
 * BM25, vector and hybrid search at 100 000 chunks on in-memory PGlite, through the search
 * service (`createSearch`), top 10, queries = the fixture's NAME summaries.
 */
export async function searchBench(): Promise<BenchResult> {
  const db = await openPglite(null);
  try {
    await migrate(db, readMigrations(migrationSources(allModules)));
    const [hnsw] = await db.query<{ def: string }>(
      `select pg_get_indexdef('knowledge.chunk_embeddings_hnsw_idx'::regclass) as def`,
    );
    if (!hnsw) throw new Error('no HNSW index: pgvector missing on PGlite?');
    // Growing the graph row by row is far slower than building it once (DESIGN.md §8).
    await db.exec('drop index knowledge.chunk_embeddings_hnsw_idx');

    const full = VECTOR_CHUNKS >= CHUNKS;
    const texts = manualLikeChunks(CHUNKS);
    const textBase = await createBase(db, { name: 'bench text' });
    const vectorBase = full ? textBase : await createBase(db, { name: 'bench vector' });
    process.stderr.write(`search bench: loading ${CHUNKS} chunks${full ? ' with embeddings' : ''}…\n`);
    const loadS = await load(db, textBase, texts, full, 'text base');
    const vectorLoadS = full
      ? loadS
      : await load(db, vectorBase, manualLikeChunks(VECTOR_CHUNKS, 7), true, 'vector base');
    const [postings] = await db.query<{ n: number }>('select count(*)::int as n from knowledge.postings');

    const queries = jsonl(join(FIXTURE, 'queries.jsonl'))
      .filter((q) => (q.metadata as { set?: string } | undefined)?.set === 'name')
      .map((q) => String(q.text))
      .slice(0, QUERIES);
    const search = createSearch({ db, embedQuery: async (text) => embedText(text) });
    const measure = async (type: SearchType, baseId: string, count = QUERIES) => {
      const ask = (query: string) => search.search({ query, knowledgeBaseIds: [baseId], type, topK: 10 });
      for (const query of queries.slice(0, WARM_UP)) await ask(query);
      const times: number[] = [];
      for (const query of queries.slice(0, count)) {
        const started = performance.now();
        await ask(query);
        times.push(performance.now() - started);
      }
      process.stderr.write(
        `  ${type}: p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms\n`,
      );
      return { p50: pct(times, 0.5), p95: pct(times, 0.95), max: Math.max(...times) };
    };

    process.stderr.write('search bench: text, as loaded (no VACUUM yet)…\n');
    // Slow before VACUUM (every posting read visits its heap page): fewer queries suffice.
    const textFresh = await measure('text', textBase, QUERIES / 4);
    const vacuumStarted = performance.now();
    await vacuumSearchIndex(db);
    const vacuumS = (performance.now() - vacuumStarted) / 1000;
    process.stderr.write('search bench: text after VACUUM…\n');
    const text = await measure('text', textBase);

    process.stderr.write(`search bench: building HNSW over ${full ? CHUNKS : VECTOR_CHUNKS} vectors…\n`);
    const buildStarted = performance.now();
    await db.exec(`set maintenance_work_mem = '1GB'`);
    await db.exec(hnsw.def);
    const buildS = (performance.now() - buildStarted) / 1000;
    const vector = await measure('vector', vectorBase);
    const hybrid = await measure('hybrid', vectorBase);

    // How many of the exact 10 nearest the HNSW scan finds (ef_search 40).
    const recalls: number[] = [];
    for (const query of queries.slice(0, RECALL_SAMPLE)) {
      const embedding = vectorLiteral(embedText(query)) as string;
      const base = { embedding, baseIds: [vectorBase], limit: 10, iterativeScan: true, efSearch: 40 };
      const exact = await rankByVector(db, { ...base, exact: true });
      const approx = new Set((await rankByVector(db, { ...base, exact: false })).map((r) => r.chunkId));
      recalls.push(exact.filter((r) => approx.has(r.chunkId)).length / Math.max(1, exact.length));
    }
    const [size] = await db.query<{ postings: string; vectors: string }>(
      `select pg_size_pretty(pg_total_relation_size('knowledge.postings')) as postings,
              pg_size_pretty(pg_total_relation_size('knowledge.chunk_embeddings')) as vectors`,
    );

    const fmt = (m: { p50: number; p95: number; max: number }) =>
      `${m.p50.toFixed(1)} / ${m.p95.toFixed(1)} / ${m.max.toFixed(1)} ms`;
    const vectorSize = full ? CHUNKS : VECTOR_CHUNKS;
    const at = (n: number) => `${n.toLocaleString('en')} chunks`;
    return {
      name: 'Search',
      method: `In-memory PGlite (shared_buffers 16 MB, as Keel runs it), all migrations. ${at(CHUNKS)} of 30–90 words from a word-bigram model of the manual-page fixture, loaded as documents of ${CHUNKS_PER_DOCUMENT} chunks, each indexed by \`indexChunks\` in its own call (as ingest does); vector and hybrid on a base of ${at(vectorSize)} with offline 1536-d embeddings${full ? '' : ' (set KEEL_BENCH_SEARCH_VECTOR_CHUNKS=100000 for the full size: the HNSW build alone then takes 20+ minutes)'}, HNSW (m 16, ef_construction 64, the migration's) built after loading. ${QUERIES} queries (the fixture's NAME summaries) through \`createSearch().search\`, top 10, after ${WARM_UP} warm-up ones; ef_search 40 with iterative scans. p50 / p95 / max.`,
      rows: [
        {
          measure: `load ${at(CHUNKS)} (postings)`,
          value: `${loadS.toFixed(0)} s, ${postings?.n.toLocaleString('en')} postings, ${size?.postings}`,
        },
        ...(full
          ? []
          : [
              {
                measure: `load ${at(VECTOR_CHUNKS)} with embeddings`,
                value: `${vectorLoadS.toFixed(0)} s, ${size?.vectors}`,
              },
            ]),
        { measure: 'VACUUM (ANALYZE) after loading', value: `${vacuumS.toFixed(1)} s` },
        { measure: `HNSW build, ${at(vectorSize)}`, value: `${buildS.toFixed(0)} s` },
        {
          measure: `text (BM25) at ${at(CHUNKS)}, as loaded (${QUERIES / 4} queries)`,
          value: fmt(textFresh),
        },
        {
          measure: `text (BM25) at ${at(CHUNKS)}, vacuumed`,
          value: fmt(text),
          target: 'p95 < 50 ms',
          pass: text.p95 < 50,
        },
        {
          measure: `vector at ${at(vectorSize)}`,
          value: fmt(vector),
          target: full ? 'p95 < 50 ms' : 'p95 < 50 ms (at 100 000)',
          pass: full ? vector.p95 < 50 : undefined,
        },
        {
          measure: `hybrid at ${at(vectorSize)}`,
          value: fmt(hybrid),
          target: full ? 'p95 < 80 ms' : 'p95 < 80 ms (at 100 000)',
          pass: full ? hybrid.p95 < 80 : undefined,
        },
        {
          measure: 'HNSW recall@10 vs exact (20 queries)',
          value: `${median(recalls).toFixed(2)} median, ${(recalls.reduce((a, b) => a + b, 0) / recalls.length).toFixed(2)} mean`,
        },
      ],
    };
  } finally {
    await db.close();
  }
}
