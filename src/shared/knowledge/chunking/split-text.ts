import type { CountTokens } from './chunk.types.js';

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The text in pieces that, joined, give it back: lines, sentences, words, then characters. */
const levels: ((text: string) => string[])[] = [
  (text) => text.split(/(?<=\n)/),
  (text) => Array.from(sentences.segment(text), (segment) => segment.segment),
  (text) => text.split(/(?<=\s)(?=\S)/),
  (text) => Array.from(text),
];

/**
 * Splits text that is over `budget` tokens into parts that are not: at line ends first, then at
 * sentence ends (ICU's sentence rules, which know Korean and CJK punctuation), then between words,
 * and as a last resort between characters. Parts are packed greedily and trimmed.
 */
export function splitToFit(text: string, budget: number, countTokens: CountTokens, level = 0): string[] {
  if (countTokens(text) <= budget) return text.trim() ? [text.trim()] : [];
  const split = levels[level];
  if (!split) return [text.trim()];
  const parts: string[] = [];
  let current = '';
  let currentTokens = 0;
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
    currentTokens = 0;
  };
  for (const piece of split(text)) {
    const tokens = countTokens(piece);
    if (tokens > budget) {
      flush();
      parts.push(...splitToFit(piece, budget, countTokens, level + 1));
    } else if (currentTokens + tokens > budget) {
      flush();
      current = piece;
      currentTokens = tokens;
    } else {
      current += piece;
      currentTokens += tokens;
    }
  }
  flush();
  return parts;
}
