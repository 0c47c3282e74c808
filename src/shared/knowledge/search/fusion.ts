/** Reciprocal Rank Fusion's constant (Cormack, Clarke & Büttcher, SIGIR 2009). */
export const RRF_K = 60;

export interface Ranked {
  chunkId: string;
  score: number;
}

export interface Fused {
  chunkId: string;
  /** Σ weight / (k + rank) over the rankings that found the chunk. */
  score: number;
  /** 1-based rank in each ranking that found the chunk. */
  ranks: { text?: number; vector?: number };
}

/**
 * Reciprocal Rank Fusion of a text and a vector ranking (each best first):
 * `score(c) = w_text / (k + rank_text(c)) + w_vector / (k + rank_vector(c))`, a term only for the
 * rankings that found `c`. Ranks, not scores, are fused: BM25 and cosine live on different
 * scales. Ties (same fused score) go to the better single rank, then the chunk id.
 *
 * @example
 * fuseRankings([{chunkId: 'a', score: 9}, {chunkId: 'b', score: 4}], [{chunkId: 'b', score: 0.8}], { text: 1, vector: 1 });
 * // [{chunkId: 'b', score: 1/62 + 1/61, ranks: {text: 2, vector: 1}}, {chunkId: 'a', score: 1/61, ranks: {text: 1}}]
 */
export function fuseRankings(
  text: readonly Ranked[],
  vector: readonly Ranked[],
  weights: { text: number; vector: number },
  k: number = RRF_K,
): Fused[] {
  const fused = new Map<string, Fused>();
  const add = (ranking: readonly Ranked[], method: 'text' | 'vector', weight: number) => {
    for (const [i, hit] of ranking.entries()) {
      const rank = i + 1;
      const entry = fused.get(hit.chunkId) ?? { chunkId: hit.chunkId, score: 0, ranks: {} };
      entry.ranks[method] = rank;
      entry.score += weight / (k + rank);
      fused.set(hit.chunkId, entry);
    }
  };
  add(text, 'text', weights.text);
  add(vector, 'vector', weights.vector);
  const bestRank = (f: Fused) => Math.min(f.ranks.text ?? Infinity, f.ranks.vector ?? Infinity);
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.chunkId < b.chunkId ? -1 : 1),
  );
}
