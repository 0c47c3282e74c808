import { createRequire } from 'node:module';
import type { TiktokenBPE } from 'js-tiktoken/lite';
import { Tiktoken } from 'js-tiktoken/lite';

/**
 * Token counting with OpenAI's cl100k_base ranks, read from the ranks file shipped inside the
 * js-tiktoken package (no network). The ranks are ~1 MB of text and the encoder builds maps of
 * 100k entries, so both are loaded on the first count, not when this module is imported: most
 * processes never count a token.
 *
 * cl100k_base is not every provider's tokenizer; counts for other models are estimates.
 */

let encoder: Tiktoken | undefined;

function loadEncoder(): Tiktoken {
  if (!encoder) {
    // A synchronous require keeps `countTokens` synchronous; it resolves from this file (or from
    // the bundle in dist/), both of which find node_modules/js-tiktoken.
    const requireHere = createRequire(import.meta.url);
    const ranks = requireHere('js-tiktoken/ranks/cl100k_base') as TiktokenBPE;
    encoder = new Tiktoken(ranks);
  }
  return encoder;
}

/** Tokens of `text` under cl100k_base. Special-token strings count as the tokens they name. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return loadEncoder().encode(text, 'all').length;
}

/**
 * The longest prefix of `text` that fits in `maxTokens` tokens (cut on a token boundary).
 * Returns the text unchanged when it already fits.
 */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  if (text.length === 0) return { text, truncated: false };
  const tokens = loadEncoder().encode(text, 'all');
  if (tokens.length <= Math.max(0, maxTokens)) return { text, truncated: false };
  let cut = loadEncoder().decode(tokens.slice(0, Math.max(0, maxTokens)));
  // A cut inside a multi-byte character decodes to U+FFFD: drop it rather than emit it.
  cut = cut.replace(/\uFFFD+$/u, '');
  return { text: cut, truncated: true };
}
