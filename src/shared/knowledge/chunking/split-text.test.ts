import { describe, expect, it } from 'vitest';
import { estimateTokens } from './count-tokens.js';
import { splitToFit } from './split-text.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('splitToFit', () => {
  it('keeps text that fits whole', () => {
    expect(splitToFit('  short text  ', 10, words)).toEqual(['short text']);
  });

  it('splits at line ends, then sentence ends, then words', () => {
    expect(splitToFit('one two three\nfour five six', 4, words)).toEqual(['one two three', 'four five six']);
    expect(splitToFit('First one here. Second one here. Third.', 6, words)).toEqual([
      'First one here. Second one here.',
      'Third.',
    ]);
    expect(splitToFit('a b c d e f g', 3, words)).toEqual(['a b c', 'd e f', 'g']);
  });

  it('splits Korean sentences', () => {
    const text = '서버 CPU 사용량이 높습니다. 메모리는 충분합니다. 디스크가 느립니다.';
    // 12, 10 and 9 estimated tokens.
    expect(splitToFit(text, 20, estimateTokens)).toEqual([
      '서버 CPU 사용량이 높습니다.',
      '메모리는 충분합니다. 디스크가 느립니다.',
    ]);
    expect(splitToFit(text, 12, estimateTokens)).toEqual([
      '서버 CPU 사용량이 높습니다.',
      '메모리는 충분합니다.',
      '디스크가 느립니다.',
    ]);
  });

  it('cuts between characters when nothing else is left', () => {
    const parts = splitToFit('x'.repeat(40), 5, estimateTokens);
    expect(parts.join('')).toBe('x'.repeat(40));
    for (const part of parts) expect(estimateTokens(part)).toBeLessThanOrEqual(5);
  });
});
