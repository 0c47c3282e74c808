import { describe, expect, it } from 'vitest';
import { chatFallback } from './chat.js';

describe('chatFallback', () => {
  it('says it is offline and lists what it can do, in English or Korean', () => {
    const english = chatFallback('What are the best beaches in Portugal?');
    expect(english.language).toBe('en');
    expect(english.text).toMatch(/offline model/);
    expect(english.text).toMatch(/commit/i);
    expect(english.text).not.toMatch(/Portugal|beach/i);
    const korean = chatFallback('제주도 맛집 추천해줘');
    expect(korean.language).toBe('ko');
    expect(korean.text).toMatch(/오프라인 모델/);
    expect(korean.text).not.toMatch(/제주/);
  });
});
