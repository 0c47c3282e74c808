import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteTestDatabase } from '../../../../../test/support/db.js';
import type { Database } from '../../../../kernel/db/index.js';
import { embedText } from '../../../llm/embeddings/offline/index.js';
import type { BeirCollection } from './beir.js';
import { formatReport, runSearchEval } from './run-eval.js';

const collection: BeirCollection = {
  corpus: [
    { id: 'd1', title: '', text: 'apple banana' },
    { id: 'd2', title: 'cherry', text: 'date' },
    { id: 'd3', title: '', text: 'apple cherry elderberry' },
  ],
  queries: [
    { id: 'q1', text: 'banana', set: 'fruit' },
    { id: 'q2', text: 'elderberry fig', set: 'fruit' },
    { id: 'q3', text: 'the and of', set: 'stop words' },
  ],
  qrels: new Map([
    ['q1', new Map([['d1', 1]])],
    ['q2', new Map([['d2', 1]])],
    ['q3', new Map([['d2', 1]])],
  ]),
};

describe('runSearchEval', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openPgliteTestDatabase());
  });
  afterAll(async () => {
    await drop?.();
  });

  it('scores each method and query set, counting refused queries as misses, and prints a table', async () => {
    const report = await runSearchEval({ db, collection, methods: ['bm25'], embed: (t) => embedText(t) });
    // q1 found at rank 1; q2 finds only d3; q3 (only stop words) is refused by BM25.
    expect(report.methods.bm25).toMatchObject({
      'ndcg@10': 0.3333,
      'mrr@10': 0.3333,
      'recall@100': 0.3333,
      refused: 1,
    });
    expect(report.methods.reference_bm25).toMatchObject({ 'ndcg@10': 0.3333, refused: 0 });
    expect(report.sets.fruit?.bm25).toMatchObject({ 'ndcg@10': 0.5, queries: 2 });
    expect(report.sets['stop words']?.bm25).toMatchObject({ 'ndcg@10': 0, queries: 1, refused: 1 });
    expect(report.index.vector).toBe('off');

    const table = formatReport(report, '/data/tiny');
    expect(table).toMatch(/^collection: \/data\/tiny — 3 documents, 3 judged queries$/m);
    expect(table).toMatch(/^bm25 \(keel\)\s+0\.333\s+0\.333\s+0\.333\s+\S+\s+\S+\s+\(1 refused\)$/m);
    expect(table).toMatch(/^query set "fruit" \(2 queries\)$/m);
  });
});
