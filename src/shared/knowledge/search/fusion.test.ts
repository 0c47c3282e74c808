import { describe, expect, it } from 'vitest';
import { fuseRankings, RRF_K } from './fusion.js';

const ranking = (...ids: string[]) => ids.map((chunkId, i) => ({ chunkId, score: 10 - i }));

describe('fuseRankings (Reciprocal Rank Fusion)', () => {
  it('adds weight / (60 + rank) from each ranking that found a chunk', () => {
    const fused = fuseRankings(ranking('a', 'b', 'c'), ranking('c', 'd', 'a'), { text: 1, vector: 1 });
    expect(RRF_K).toBe(60);
    expect(fused.map((f) => f.chunkId)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]).toEqual({ chunkId: 'a', score: 1 / 61 + 1 / 63, ranks: { text: 1, vector: 3 } });
    expect(fused[1]).toEqual({ chunkId: 'c', score: 1 / 63 + 1 / 61, ranks: { text: 3, vector: 1 } });
    expect(fused[2]).toEqual({ chunkId: 'b', score: 1 / 62, ranks: { text: 2 } });
    expect(fused[3]).toEqual({ chunkId: 'd', score: 1 / 62, ranks: { vector: 2 } });
  });

  it('weights each ranking, and a zero weight keeps only the ranks', () => {
    const fused = fuseRankings(ranking('a', 'b'), ranking('b', 'a'), { text: 2, vector: 1 });
    expect(fused.map((f) => [f.chunkId, f.score])).toEqual([
      ['a', 2 / 61 + 1 / 62],
      ['b', 2 / 62 + 1 / 61],
    ]);
    const textOnly = fuseRankings(ranking('a'), ranking('z'), { text: 1, vector: 0 });
    expect(textOnly.map((f) => [f.chunkId, f.score, f.ranks])).toEqual([
      ['a', 1 / 61, { text: 1 }],
      ['z', 0, { vector: 1 }],
    ]);
  });

  it('handles an empty ranking (vector search off)', () => {
    expect(fuseRankings(ranking('a', 'b'), [], { text: 1, vector: 1 }).map((f) => f.score)).toEqual([
      1 / 61,
      1 / 62,
    ]);
  });
});
