import { describe, expect, it } from 'vitest';
import { mrrAt, ndcgAt, percentile, recallAt } from './metrics.js';

describe('ranking metrics', () => {
  const judged = new Map([
    ['d1', 1],
    ['d3', 2],
    ['d9', 0],
  ]);

  it('nDCG@k: graded gains over log2(rank + 1), divided by the ideal ordering', () => {
    // Found d3 (gain 2) at rank 2 and d1 (gain 1) at rank 4; ideal: d3 at 1, d1 at 2.
    const dcg = 2 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 2 / Math.log2(2) + 1 / Math.log2(3);
    expect(ndcgAt(['d0', 'd3', 'd9', 'd1'], judged, 10)).toBeCloseTo(dcg / ideal, 12);
    expect(ndcgAt(['d3', 'd1'], judged, 10)).toBe(1);
    expect(ndcgAt(['d0', 'd3'], judged, 1)).toBe(0);
    expect(ndcgAt(['d1'], new Map([['d1', 0]]), 10)).toBe(0);
  });

  it('Recall@k counts relevant documents found, MRR@k the first one', () => {
    expect(recallAt(['d3', 'x', 'd1'], judged, 2)).toBe(0.5);
    expect(recallAt(['d3', 'x', 'd1'], judged, 100)).toBe(1);
    expect(mrrAt(['x', 'y', 'd1', 'd3'], judged, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(['x', 'y', 'd1'], judged, 2)).toBe(0);
  });

  it('percentile by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([], 0.5)).toBe(0);
  });
});
