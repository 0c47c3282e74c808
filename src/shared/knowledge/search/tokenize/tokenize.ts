import { stemmer } from 'stemmer';

/**
 * Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`), so BM25 scores can be
 * compared with Lucene's on the same collection.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);

/** Scripts written without spaces between words (and ー, the kana length mark, which is Common). */
const DENSE = '\\p{Script=Hangul}\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc';
/** A letter, mark or digit of any other script. */
const WORD_CHAR = `(?:(?![${DENSE}])[\\p{L}\\p{M}\\p{N}])`;
/**
 * Runs of one kind, so "CPU사용량" gives "cpu" and Hangul bigrams. Inside a word, an apostrophe
 * between letters ("don't") and a point or comma between digits ("3.5", "1,000") do not split it,
 * as in Lucene's StandardTokenizer.
 */
const RUN = new RegExp(
  `([${DENSE}]+)|(${WORD_CHAR}+(?:(?:['’](?=\\p{L})|(?<=\\p{N})[.,](?=\\p{N}))${WORD_CHAR}+)*)`,
  'gu',
);
const LATIN_WORD = /^[a-z]+$/;
/** English possessive `'s` (and `’s`), dropped before splitting as Lucene's EnglishPossessiveFilter does. */
const POSSESSIVE = /(?<=\p{L})['’]s\b/gu;

/** Porter stems of recent words: text repeats its words, and stemming is the costly step. */
const stems = new Map<string, string>();

function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    if (stems.size >= 50_000) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}

/**
 * Terms for BM25 over English and Korean text, the same for documents and queries:
 * - NFKC (full-width letters and digits become ASCII, compatibility jamo compose) and lowercase;
 * - English and other alphabets: words split at anything not a letter or digit (but see `RUN`),
 *   Lucene's stop words dropped, possessive `'s` removed, pure a–z words Porter-stemmed, numbers
 *   kept as they are;
 * - Hangul (and CJK): overlapping character bigrams, since Korean attaches particles and endings
 *   to words ("사용량이" → 사용, 용량, 량이); a one-syllable run stays a unigram.
 *
 * @example
 * tokenize("The server's CPU사용량 was 80%"); // ['server', 'cpu', '사용', '용량', '80']
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  scan(text.normalize('NFKC').toLowerCase().replace(POSSESSIVE, ''), (term) => {
    terms.push(term);
  });
  return terms;
}

/** A term of {@link tokenize} and where it came from: `text.slice(start, end)` in the original text. */
export interface TermSpan {
  term: string;
  start: number;
  end: number;
}

/** Only ASCII (tested without a regex: control characters in a character class trip the linter). */
const isAscii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};
let graphemes: Intl.Segmenter | undefined;

/**
 * {@link tokenize} with each term's place in the original text (UTF-16 offsets), for highlighting:
 * the terms are the same, in the same order. A Hangul bigram covers its two syllables, so the
 * spans of neighbouring bigrams overlap.
 *
 * @example
 * tokenSpans('Running 서버를'); // [{term: 'run', start: 0, end: 7}, {term: '서버', start: 8, end: 10}, {term: '버를', start: 9, end: 11}]
 */
export function tokenSpans(text: string): TermSpan[] {
  let normalized = text.toLowerCase();
  // Where each code unit of `normalized` came from; null while that is the same offset.
  let from: number[] | null = null;
  let to: number[] | null = null;
  if (normalized.length !== text.length || !(isAscii(text) || text.normalize('NFKC') === text)) {
    // NFKC can change lengths ("ﬁ" → "fi", decomposed jamo → one syllable): each grapheme is
    // normalized on its own and all its units point back to the whole grapheme.
    graphemes ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
    const parts: string[] = [];
    from = [];
    to = [];
    for (const { segment, index } of graphemes.segment(text)) {
      const part = segment.normalize('NFKC');
      parts.push(part);
      for (let i = 0; i < part.length; i++) {
        from.push(index);
        to.push(index + segment.length);
      }
    }
    const folded = parts.join('');
    normalized = folded.toLowerCase();
    // Lowercasing looks at context (Greek final sigma), so it runs over the whole text. Only "İ"
    // lowercases to two code units ("i̇"); both then point back to it.
    if (normalized.length !== folded.length) {
      const lowerFrom: number[] = [];
      const lowerTo: number[] = [];
      for (let i = 0; i < folded.length; i++) {
        const copies = folded[i] === '\u0130' ? 2 : 1;
        for (let c = 0; c < copies; c++) {
          lowerFrom.push(from[i] as number);
          lowerTo.push(to[i] as number);
        }
      }
      from = lowerFrom;
      to = lowerTo;
    }
  }
  // Drop possessive 's as tokenize() does, keeping the map in step.
  if (normalized.search(POSSESSIVE) !== -1) {
    const keep: number[] = [];
    let last = 0;
    let kept = '';
    for (const match of normalized.matchAll(POSSESSIVE)) {
      kept += normalized.slice(last, match.index);
      for (let i = last; i < match.index; i++) keep.push(i);
      last = match.index + match[0].length;
    }
    kept += normalized.slice(last);
    for (let i = last; i < normalized.length; i++) keep.push(i);
    normalized = kept;
    const oldFrom = from;
    const oldTo = to;
    from = keep.map((i) => (oldFrom ? (oldFrom[i] as number) : i));
    to = keep.map((i) => (oldTo ? (oldTo[i] as number) : i + 1));
  }
  const spans: TermSpan[] = [];
  scan(normalized, (term, start, end) => {
    spans.push(
      from && to ? { term, start: from[start] as number, end: to[end - 1] as number } : { term, start, end },
    );
  });
  return spans;
}

/** Emits each term of already normalized text with its [start, end) in that text. */
function scan(normalized: string, emit: (term: string, start: number, end: number) => void): void {
  for (const match of normalized.matchAll(RUN)) {
    const [, dense, word] = match;
    const at = match.index;
    if (dense) {
      const characters = Array.from(dense);
      if (characters.length === 1) emit(dense, at, at + dense.length);
      let offset = at;
      for (let i = 0; i + 1 < characters.length; i++) {
        const first = characters[i] as string;
        const second = characters[i + 1] as string;
        emit(`${first}${second}`, offset, offset + first.length + second.length);
        offset += first.length;
      }
    } else if (word && !ENGLISH_STOP_WORDS.has(word)) {
      emit(LATIN_WORD.test(word) ? stem(word) : word, at, at + word.length);
    }
  }
}
