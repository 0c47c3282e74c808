/** Hangul (syllables and jamo), Han ideographs, Hiragana, Katakana: written without word spaces. */
const DENSE = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const SPACE = /\s/u;

/**
 * A tokenizer-free estimate of BPE tokens, used when no tokenizer is injected:
 * - each run of other non-space characters costs ⌈length / 4⌉ (English averages about four
 *   characters per token in GPT tokenizers; a short word still costs one);
 * - each Hangul syllable or CJK character costs 1 (GPT tokenizers spend 1–3 per Hangul syllable, so
 *   this is a floor: pass a real tokenizer where budgets must hold);
 * - whitespace is free (BPE merges it into the next word).
 *
 * @example
 * estimateTokens('Server CPU usage'); // 2 + 1 + 2 = 5
 * estimateTokens('서버 사용량'); // 5
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let run = 0;
  for (const char of text) {
    if (SPACE.test(char)) {
      tokens += Math.ceil(run / 4);
      run = 0;
    } else if (DENSE.test(char)) {
      tokens += Math.ceil(run / 4) + 1;
      run = 0;
    } else {
      run++;
    }
  }
  return tokens + Math.ceil(run / 4);
}
