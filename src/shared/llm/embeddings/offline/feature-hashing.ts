/**
 * Signed feature hashing shared by the text and the code embedding.
 *
 * A feature is a 32-bit hash. Its bucket comes from the high bits (multiply-shift range
 * reduction, so any `dims` works, not only powers of two) and its sign from the lowest bit; both
 * are read after a murmur3 finalizer, so they are independent enough that collisions cancel out
 * on average instead of piling up (Weinberger et al., 2009).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step over a UTF-16 code unit (or any 32-bit value). */
export function fnvStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-sensitive mix of a running hash with a 32-bit value (murmur3's block step). */
export function mix(hash: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`, finalized; no substring is made. */
export function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = fnvStep(h, text.charCodeAt(i));
  return fmix32(h);
}

export function hashString(text: string, seed: number = FNV_OFFSET): number {
  return hashRange(text, 0, text.length, seed);
}

/**
 * A seed per feature family, so that the word "for" and the character trigram "for" (or the node
 * type `identifier` and the identifier `identifier`) are different features.
 */
export function familySeed(name: string): number {
  return hashString(name, FNV_OFFSET) | 0;
}

/**
 * Counts feature occurrences for one document, then writes the sublinear-TF weighted, signed,
 * hashed vector. Open addressing with linear probing; the arrays are reused from one document to
 * the next, so embedding allocates only the output vector.
 */
export class FeatureCounter {
  private keys = new Int32Array(1024);
  private counts = new Uint32Array(1024);
  private weights = new Float32Array(1024);
  /** Slots in first-insertion order: the flush order, hence deterministic float sums. */
  private order = new Int32Array(512);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Adds one occurrence of `feature` (a finalized hash) with the weight of its family. */
  add(feature: number, weight: number): void {
    let mask = this.keys.length - 1;
    if (this.used * 2 >= this.keys.length) {
      this.grow();
      mask = this.keys.length - 1;
    }
    const key = feature | 0;
    let slot = key & mask;
    for (;;) {
      const count = this.counts[slot] as number;
      if (count === 0) {
        this.keys[slot] = key;
        this.counts[slot] = 1;
        this.weights[slot] = weight;
        this.order[this.used++] = slot;
        return;
      }
      if (this.keys[slot] === key) {
        this.counts[slot] = count + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Adds `weight · (1 + ln tf) · sign` of every feature into `out[bucket]`, then empties the
   * counter for the next document. `out` is not normalized here.
   */
  flushInto(out: Float32Array): void {
    const dims = out.length;
    for (let i = 0; i < this.used; i++) {
      const slot = this.order[i] as number;
      const key = this.keys[slot] as number;
      const count = this.counts[slot] as number;
      const value = (this.weights[slot] as number) * (1 + Math.log(count));
      const bucket = Math.floor(((key >>> 0) * dims) / 4294967296);
      out[bucket] = (out[bucket] as number) + (key & 1 ? -value : value);
      this.counts[slot] = 0;
    }
    this.used = 0;
  }

  /** Empties the counter without writing anything (a document that was abandoned). */
  clear(): void {
    for (let i = 0; i < this.used; i++) this.counts[this.order[i] as number] = 0;
    this.used = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldWeights = this.weights;
    const oldOrder = this.order;
    const size = oldKeys.length * 2;
    const mask = size - 1;
    this.keys = new Int32Array(size);
    this.counts = new Uint32Array(size);
    this.weights = new Float32Array(size);
    this.order = new Int32Array(size / 2);
    for (let i = 0; i < this.used; i++) {
      const from = oldOrder[i] as number;
      const key = oldKeys[from] as number;
      let slot = key & mask;
      while ((this.counts[slot] as number) !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = key;
      this.counts[slot] = oldCounts[from] as number;
      this.weights[slot] = oldWeights[from] as number;
      this.order[i] = slot;
    }
  }
}

/** Scales `vector` to unit L2 norm in place; a zero vector stays zero. Returns the old norm. */
export function l2Normalize(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i] as number;
    sum += v * v;
  }
  const norm = Math.sqrt(sum);
  if (norm > 0) {
    const scale = 1 / norm;
    for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  }
  return norm;
}

/** Cosine similarity of two vectors of the same length (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Throws unless `dims` is a usable vector length. */
export function checkDims(dims: number): void {
  if (!Number.isInteger(dims) || dims < 1 || dims > 1 << 20)
    throw new RangeError(`embedding dims must be an integer in [1, 1048576], got ${dims}`);
}
