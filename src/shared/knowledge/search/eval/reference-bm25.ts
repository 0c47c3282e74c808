import { tokenize } from '../tokenize/index.js';

/**
 * BM25 as Lucene's BM25Similarity defines it, over an in-memory inverted index: written apart
 * from Keel's SQL so the evaluation can compare the two on the same collection. Same tokenizer;
 * exact document lengths (Lucene rounds them to one byte, which moves scores slightly).
 *
 * score(q, d) = Σ_t qtf · ln(1 + (N − df + 0.5)/(df + 0.5)) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))
 */
export class ReferenceBm25 {
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  private totalLength = 0;

  constructor(private readonly params: { k1: number; b: number } = { k1: 0.9, b: 0.4 }) {}

  add(id: string, text: string): void {
    const terms = tokenize(text);
    // Lucene's docCount counts documents that have the field: an empty one is not in N.
    if (terms.length === 0) return;
    const doc = this.ids.length;
    this.ids.push(id);
    this.lengths.push(terms.length);
    this.totalLength += terms.length;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = this.postings.get(term);
      if (!list) {
        list = [];
        this.postings.set(term, list);
      }
      list.push({ doc, tf });
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** The best `k` documents for `query`, best first (ties by id). */
  search(query: string, k: number): Array<{ id: string; score: number }> {
    const { k1, b } = this.params;
    const n = this.ids.length;
    const avgdl = n === 0 ? 1 : this.totalLength / n;
    const qtf = new Map<string, number>();
    for (const term of tokenize(query)) qtf.set(term, (qtf.get(term) ?? 0) + 1);
    const scores = new Map<number, number>();
    for (const [term, count] of qtf) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const dl = this.lengths[doc] as number;
        const part = (count * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / avgdl));
        scores.set(doc, (scores.get(doc) ?? 0) + part);
      }
    }
    return [...scores.entries()]
      .map(([doc, score]) => ({ id: this.ids[doc] as string, score }))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, k);
  }
}
