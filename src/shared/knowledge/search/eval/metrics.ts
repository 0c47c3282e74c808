/**
 * Ranking metrics as BEIR reports them (pytrec_eval / trec_eval definitions), for one query:
 * `ranking` is the system's document ids, best first; `relevant` maps judged ids to their grade
 * (grades ≤ 0 count as not relevant).
 */

export type Qrels = ReadonlyMap<string, number>;

/** nDCG@k: DCG = Σ_i gain_i / log2(i + 1) over the top k (gain = grade), over the ideal ordering's DCG. */
export function ndcgAt(ranking: readonly string[], relevant: Qrels, k: number): number {
  let dcg = 0;
  for (const [i, id] of ranking.slice(0, k).entries()) {
    const gain = relevant.get(id) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  const ideal = [...relevant.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Recall@k: the share of relevant documents found in the top k. */
export function recallAt(ranking: readonly string[], relevant: Qrels, k: number): number {
  const wanted = [...relevant.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (wanted.length === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  return wanted.filter((id) => top.has(id)).length / wanted.length;
}

/** MRR@k: 1 / rank of the first relevant document in the top k, else 0. */
export function mrrAt(ranking: readonly string[], relevant: Qrels, k: number): number {
  for (const [i, id] of ranking.slice(0, k).entries()) if ((relevant.get(id) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/** The value at quantile `p` (0–1) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
