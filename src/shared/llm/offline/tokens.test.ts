import { describe, expect, it } from 'vitest';
import { countTokens, truncateToTokens } from './tokens.js';

describe('countTokens', () => {
  it('counts cl100k_base tokens', () => {
    expect(countTokens('')).toBe(0);
    // Reference counts from OpenAI's tokenizer for cl100k_base.
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('tiktoken is great!')).toBe(6);
  });

  it('counts Korean text and special-token strings without throwing', () => {
    expect(countTokens('지난 1시간 동안 에러 로그')).toBeGreaterThan(5);
    expect(countTokens('<|endoftext|>')).toBe(1);
  });
});

describe('truncateToTokens', () => {
  it('keeps text that fits and cuts text that does not', () => {
    expect(truncateToTokens('hello world', 5)).toEqual({ text: 'hello world', truncated: false });
    expect(truncateToTokens('hello world again', 2)).toEqual({ text: 'hello world', truncated: true });
  });

  it('never ends a cut inside a character', () => {
    const { text, truncated } = truncateToTokens('비밀번호 잠금 정책', 3);
    expect(truncated).toBe(true);
    expect(text).not.toMatch(/\uFFFD/u);
  });
});
