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
  const normalized = text.normalize('NFKC').toLowerCase().replace(POSSESSIVE, '');
  const terms: string[] = [];
  for (const match of normalized.matchAll(RUN)) {
    const [, dense, word] = match;
    if (dense) {
      const characters = Array.from(dense);
      if (characters.length === 1) terms.push(dense);
      for (let i = 0; i + 1 < characters.length; i++) terms.push(`${characters[i]}${characters[i + 1]}`);
    } else if (word && !ENGLISH_STOP_WORDS.has(word)) {
      terms.push(LATIN_WORD.test(word) ? stem(word) : word);
    }
  }
  return terms;
}
