import { describe, expect, it } from 'vitest';
import { estimateTokens } from './count-tokens.js';

describe('estimateTokens', () => {
  it('costs a quarter token per Latin character, at least one per word', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a b c')).toBe(3);
    expect(estimateTokens('Server CPU usage')).toBe(5);
    expect(estimateTokens('internationalization')).toBe(5);
  });

  it('costs one token per Hangul syllable or CJK character', () => {
    expect(estimateTokens('서버 사용량')).toBe(5);
    expect(estimateTokens('CPU사용량')).toBe(4);
    expect(estimateTokens('東京タワー')).toBe(5);
  });
});
