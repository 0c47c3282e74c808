import {
  checkDims,
  FeatureCounter,
  familySeed,
  fmix32,
  fnvStep,
  l2Normalize,
  mix,
} from './feature-hashing.js';

/**
 * Feature-hashed text embedding: word unigrams, word bigrams and character n-grams, sublinear TF,
 * signed hashing, L2 norm. Offline, deterministic, no model file. See README.md.
 */

/** Bumped whenever the same text would give a different vector: part of any embedding cache key. */
export const HASHED_TEXT_VERSION = 1;

/** The text embedding space (seed 001 §8: 1536 dims for premium/org). */
export const TEXT_DIMS = 1536;

const SEED_WORD = familySeed('keel.text.word');
const SEED_BIGRAM = familySeed('keel.text.bigram');
const SEED_CHAR = familySeed('keel.text.char');

// Family weights: characters n-grams are many per word (≈ 3 per character), so each weighs less
// than a word; together they still carry morphology (Korean particles, inflections, typos).
const WEIGHT_WORD = 1;
const WEIGHT_BIGRAM = 0.7;
const WEIGHT_CHAR = 0.3;

/** Character n-gram lengths for alphabetic scripts and for syllabic/ideographic ones. */
const CHAR_MIN = 3;
const CHAR_MAX = 5;
const DENSE_MIN = 2;
const DENSE_MAX = 4;

const BOUNDARY_START = 0x3c; // '<', never part of a word
const BOUNDARY_END = 0x3e; // '>'

/** Code unit classes: not part of a word, a word character, a dense-script word character. */
const OTHER = 0;
const WORD = 1;
const DENSE = 2;

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const DENSE_RE = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

let bmpClasses: Uint8Array | undefined;
const astralClasses = new Map<number, number>();

/**
 * The `\p{L}\p{N}\p{M}` regex compiled once into a table over the Basic Multilingual Plane, so the
 * tokenizer reads one byte per code unit instead of running a regex (or slicing a string) per
 * token. Built on first use, in one regex pass over all 63 488 non-surrogate BMP characters.
 */
function classes(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const table = new Uint8Array(65536);
  const units: number[] = [];
  for (let c = 0; c < 65536; c++) units.push(c >= 0xd800 && c <= 0xdfff ? 0x20 : c);
  let all = '';
  for (let i = 0; i < units.length; i += 8192) all += String.fromCharCode(...units.slice(i, i + 8192));
  for (const match of all.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const start = match.index;
    for (let i = start; i < start + match[0].length; i++) table[i] = WORD;
  }
  for (const match of all.matchAll(
    /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu,
  )) {
    const start = match.index;
    for (let i = start; i < start + match[0].length; i++) if (table[i] === WORD) table[i] = DENSE;
  }
  bmpClasses = table;
  return table;
}

function astralClass(codePoint: number): number {
  let cls = astralClasses.get(codePoint);
  if (cls === undefined) {
    const ch = String.fromCodePoint(codePoint);
    cls = WORD_RE.test(ch) ? (DENSE_RE.test(ch) ? DENSE : WORD) : OTHER;
    if (astralClasses.size < 4096) astralClasses.set(codePoint, cls);
  }
  return cls;
}

/** Lowercased NFKC: full-width forms, ligatures and compatibility jamo fold to one spelling. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const counter = new FeatureCounter();
let starts = new Int32Array(256);
let ends = new Int32Array(256);
let dense = new Uint8Array(256);

/**
 * Splits normalized text into words: maximal runs of letters, digits and marks, also split where
 * the script switches between alphabetic and dense (Hangul, Han, kana), so `api를` gives `api`
 * and `를`. Fills the module's offset buffers and returns the word count.
 */
function tokenize(text: string): number {
  const table = classes();
  let count = 0;
  let start = -1;
  let runClass = OTHER;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const unit = text.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (unit < 0xd800 || unit > 0xdbff) cls = table[unit] as number;
    else {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        cls = astralClass(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        width = 2;
      } else cls = OTHER;
    }
    if (cls !== runClass) {
      if (runClass !== OTHER) count = pushWord(count, start, i, runClass === DENSE);
      start = i;
      runClass = cls;
    }
    i += width - 1;
  }
  if (runClass !== OTHER) count = pushWord(count, start, n, runClass === DENSE);
  return count;
}

function pushWord(count: number, start: number, end: number, isDense: boolean): number {
  if (count === starts.length) {
    const grownStarts = new Int32Array(count * 2);
    const grownEnds = new Int32Array(count * 2);
    const grownDense = new Uint8Array(count * 2);
    grownStarts.set(starts);
    grownEnds.set(ends);
    grownDense.set(dense);
    starts = grownStarts;
    ends = grownEnds;
    dense = grownDense;
  }
  starts[count] = start;
  ends[count] = end;
  dense[count] = isDense ? 1 : 0;
  return count + 1;
}

/** Character n-grams of `<word>` (boundary markers included), hashed without building strings. */
function addCharGrams(text: string, start: number, end: number, minN: number, maxN: number): void {
  const last = end - start + 1; // virtual positions: 0 is '<', 1..len the word, len + 1 is '>'
  for (let p = 0; p <= last + 1 - minN; p++) {
    let h = SEED_CHAR;
    const stop = Math.min(p + maxN, last + 1);
    for (let q = p; q < stop; q++) {
      const unit = q === 0 ? BOUNDARY_START : q === last ? BOUNDARY_END : text.charCodeAt(start + q - 1);
      h = fnvStep(h, unit);
      if (q - p + 1 >= minN) counter.add(fmix32(h), WEIGHT_CHAR);
    }
  }
}

/** The vector and the number of words it was built from (the `usage.tokens` of the model). */
export interface HashedText {
  vector: Float32Array;
  tokens: number;
}

/** {@link embedText}, also returning the word count. */
export function hashText(text: string, dims: number = TEXT_DIMS): HashedText {
  checkDims(dims);
  const normalized = normalizeText(text);
  const words = tokenize(normalized);
  let previous = 0;
  for (let w = 0; w < words; w++) {
    const start = starts[w] as number;
    const end = ends[w] as number;
    let h = SEED_WORD;
    for (let i = start; i < end; i++) h = fnvStep(h, normalized.charCodeAt(i));
    const word = fmix32(h);
    counter.add(word, WEIGHT_WORD);
    if (w > 0) counter.add(fmix32(mix(mix(SEED_BIGRAM, previous), word)), WEIGHT_BIGRAM);
    previous = word;
    if (dense[w] === 1) addCharGrams(normalized, start, end, DENSE_MIN, DENSE_MAX);
    else addCharGrams(normalized, start, end, CHAR_MIN, CHAR_MAX);
  }
  const vector = new Float32Array(dims);
  counter.flushInto(vector);
  l2Normalize(vector);
  return { vector, tokens: words };
}

/**
 * Embeds `text` into `dims` dimensions (default 1536, the text space; 512 works too), offline and
 * deterministically: the same text, dims and {@link HASHED_TEXT_VERSION} always give the same
 * vector, on any machine. The vector has unit L2 norm, except for a text without any letter or
 * digit (empty, whitespace, punctuation only), which gives the zero vector — its cosine with
 * anything is 0.
 *
 * @example
 * const a = embedText('배포 파이프라인이 실패했습니다');
 * const b = embedText('배포 파이프라인 실패');
 * cosine(a, b); // high: shared words and syllable n-grams
 */
export function embedText(text: string, dims: number = TEXT_DIMS): Float32Array {
  return hashText(text, dims).vector;
}
