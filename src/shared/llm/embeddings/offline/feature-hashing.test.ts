import { describe, expect, it } from 'vitest';
import { cosine, FeatureCounter, fmix32, hashString, l2Normalize } from './feature-hashing.js';

/** The same sum written the slow way: a Map of counts, then weight · (1 + ln tf) · sign. */
function naive(features: Array<[number, number]>, dims: number): Float32Array {
  const counts = new Map<number, { count: number; weight: number }>();
  for (const [feature, weight] of features) {
    const entry = counts.get(feature | 0) ?? { count: 0, weight };
    entry.count++;
    counts.set(feature | 0, entry);
  }
  const out = new Float32Array(dims);
  for (const [key, { count, weight }] of counts) {
    const bucket = Math.floor(((key >>> 0) * dims) / 2 ** 32);
    out[bucket] = (out[bucket] as number) + (key & 1 ? -1 : 1) * weight * (1 + Math.log(count));
  }
  return out;
}

describe('FeatureCounter', () => {
  it('writes sublinear-TF signed sums, also after growing past its first capacity', () => {
    const counter = new FeatureCounter();
    const features: Array<[number, number]> = [];
    for (let i = 0; i < 5_000; i++) features.push([fmix32(i % 3_000), i % 2 ? 0.5 : 1]);
    // Weights are fixed per feature at its first occurrence: give repeats their first weight.
    const first = new Map<number, number>();
    for (const f of features) {
      if (!first.has(f[0])) first.set(f[0], f[1]);
      f[1] = first.get(f[0]) as number;
      counter.add(f[0], f[1]);
    }
    expect(counter.size).toBe(3_000);
    const out = new Float32Array(777);
    counter.flushInto(out);
    const expected = naive(features, 777);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i] as number, 4);
    expect(counter.size).toBe(0);
  });

  it('starts empty after clear()', () => {
    const counter = new FeatureCounter();
    counter.add(hashString('a'), 1);
    counter.clear();
    const out = new Float32Array(8);
    counter.flushInto(out);
    expect(Array.from(out)).toEqual(new Array(8).fill(0));
  });
});

describe('l2Normalize and cosine', () => {
  it('scales to unit norm, leaves zero vectors alone, and compares', () => {
    const v = Float32Array.from([3, 4]);
    expect(l2Normalize(v)).toBe(5);
    expect(Array.from(v)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const zero = new Float32Array(2);
    expect(l2Normalize(zero)).toBe(0);
    expect(cosine(zero, v)).toBe(0);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(() => cosine([1], [1, 2])).toThrow(RangeError);
  });
});
