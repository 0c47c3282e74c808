import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteTestDatabase } from '../../../../test/support/db.js';
import type { Database } from '../../../kernel/db/index.js';
import { ReferenceBm25 } from './eval/reference-bm25.js';
import { rankByBm25, splitCommon } from './search.repository.js';
import { addDocuments, createBase } from './testing/seed.js';
import { tokenize } from './tokenize/index.js';

/** mulberry32, so the corpus is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rankByBm25: pruned (MaxScore) and full passes agree', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let base: string;
  const next = random(42);
  // Zipf-like vocabulary: "w0" is in most chunks, "w60" in few.
  const vocabulary = Array.from({ length: 80 }, (_, i) => `w${i}`);
  const word = () => vocabulary[Math.floor(vocabulary.length * next() ** 2.5)] as string;
  const texts = Array.from({ length: 400 }, () =>
    Array.from({ length: 5 + Math.floor(next() * 25) }, word).join(' '),
  );
  const queries = Array.from({ length: 40 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 4) }, word).join(' '),
  );

  beforeAll(async () => {
    ({ db, drop } = await openPgliteTestDatabase());
    base = await createBase(db);
    await db.transaction((tx) =>
      addDocuments(
        tx,
        base,
        texts.map((t) => ({ chunks: [t] })),
      ),
    );
  });
  afterAll(async () => {
    await drop?.();
  });

  it('prunes common terms when it can prove the answer, and always equals the reference', async () => {
    const reference = new ReferenceBm25();
    const byFilename = await db.query<{ id: string; filename: string }>(
      'select c.id, d.filename from knowledge.chunks c join knowledge.documents d on d.id = c.document_id where c.knowledge_base_id = $1',
      [base],
    );
    expect(byFilename).toHaveLength(texts.length);
    const idOf = new Map(byFilename.map((r) => [r.id, r.filename]));
    for (const [i, text] of texts.entries()) reference.add(`document-${i + 1}.txt`, text);

    let prunedAnswers = 0;
    for (const query of queries) {
      const terms = new Map<string, number>();
      for (const t of tokenize(query)) terms.set(t, (terms.get(t) ?? 0) + 1);
      const request = { terms, baseIds: [base], k1: 0.9, b: 0.4, limit: 10 };
      const full = await rankByBm25(db, { ...request, pruneMinDf: Infinity });
      const pruned = await rankByBm25(db, {
        ...request,
        pruneMinDf: 20,
        onPass: (pass) => {
          if (pass === 'pruned') prunedAnswers += 1;
        },
      });
      expect(pruned.map((r) => r.score)).toEqual(full.map((r) => expect.closeTo(r.score, 9)));
      const expected = reference.search(query, 10);
      expect(full.map((r) => r.score)).toEqual(expected.map((r) => expect.closeTo(r.score, 9)));
      // The same chunks, except among those tied with the last one (ties go by id, and ids differ).
      const last = expected.at(-1)?.score ?? 0;
      const above = (r: { score: number }) => r.score > last + 1e-9;
      expect(new Set(full.filter(above).map((r) => idOf.get(r.chunkId)))).toEqual(
        new Set(expected.filter(above).map((r) => r.id)),
      );
    }
    expect(prunedAnswers).toBeGreaterThan(5);
  });

  it('leaves out only frequent, low-bound terms, and keeps one term in the first pass', () => {
    const w = (term: string, df: number, bound: number) => ({ term, df, weight: bound / 1.9, bound });
    // Left out while their bounds stay within a sixth of the rest's.
    const { essential, common } = splitCommon(
      [w('rare', 10, 30), w('often', 5000, 1), w('mid', 2000, 3)],
      1000,
    );
    expect(common.map((t) => t.term)).toEqual(['often', 'mid']);
    expect(essential.map((t) => t.term)).toEqual(['rare']);
    const heavier = splitCommon([w('rare', 10, 8), w('often', 5000, 1), w('mid', 2000, 3)], 1000);
    expect(heavier.common.map((t) => t.term)).toEqual(['often']);
    expect(splitCommon([w('a', 5000, 1), w('b', 5000, 1)], 1000).common.map((t) => t.term)).toEqual([]);
    expect(splitCommon([w('a', 50, 1), w('b', 10, 9)], 1000).common).toEqual([]);
  });
});
